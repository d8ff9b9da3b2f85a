// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ModelCatalog.h"

namespace tb::core {

const QList<ModelCatalog::Entry>& ModelCatalog::entries()
{
    // OpenAI model pages, August 2025 (the date of PriceTable::defaults()).
    static const QList<Entry> table{
        {QStringLiteral("gpt-5"), 400'000},           {QStringLiteral("gpt-5-mini"), 400'000},
        {QStringLiteral("gpt-5-nano"), 400'000},      {QStringLiteral("gpt-4.1"), 1'047'576},
        {QStringLiteral("gpt-4.1-mini"), 1'047'576},  {QStringLiteral("gpt-4.1-nano"), 1'047'576},
        {QStringLiteral("gpt-4o"), 128'000},          {QStringLiteral("gpt-4o-mini"), 128'000},
        {QStringLiteral("gpt-4-turbo"), 128'000},     {QStringLiteral("gpt-3.5-turbo"), 16'385},
        {QStringLiteral("o3"), 200'000},              {QStringLiteral("o3-mini"), 200'000},
        {QStringLiteral("o4-mini"), 200'000},         {QStringLiteral("o1"), 200'000},
    };
    return table;
}

std::optional<qint64> ModelCatalog::contextWindow(const QString& model)
{
    if (model.isEmpty())
        return std::nullopt;
    const Entry* best = nullptr;
    for (const Entry& e : entries()) {
        if (e.model == model)
            return e.contextWindow;
        // "o3" must not claim "o3-mini-2025-01-31": the longest family wins.
        if (model.startsWith(e.model + u'-') && (!best || e.model.size() > best->model.size()))
            best = &e;
    }
    if (best)
        return best->contextWindow;
    return std::nullopt;
}

} // namespace tb::core
