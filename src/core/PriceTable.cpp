// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PriceTable.h"

namespace tb::core {

PriceTable PriceTable::defaults()
{
    // US$ per million tokens (input, cached input, output), OpenAI pricing page, August 2025.
    const QDate date(2025, 8, 7);
    PriceTable t;
    const struct
    {
        const char* model;
        double in;
        double cached;
        double out;
    } rows[] = {
        {"gpt-5", 1.25, 0.125, 10.00},    {"gpt-5-mini", 0.25, 0.025, 2.00}, {"gpt-5-nano", 0.05, 0.005, 0.40},
        {"gpt-4.1", 2.00, 0.50, 8.00},    {"gpt-4.1-mini", 0.40, 0.10, 1.60}, {"gpt-4.1-nano", 0.10, 0.025, 0.40},
        {"gpt-4o", 2.50, 1.25, 10.00},    {"gpt-4o-mini", 0.15, 0.075, 0.60}, {"o3", 2.00, 0.50, 8.00},
        {"o4-mini", 1.10, 0.275, 4.40},   {"o3-mini", 1.10, 0.55, 4.40},      {"threadbench-demo", 0, 0, 0},
    };
    for (const auto& r : rows)
        t.add({QString::fromLatin1(r.model), r.in, r.cached, r.out, date});
    return t;
}

std::optional<ModelPrice> PriceTable::find(const QString& model, const QDate& on) const
{
    std::optional<ModelPrice> best;
    qsizetype bestLength = -1;
    for (const ModelPrice& p : m_prices) {
        if (p.effective.isValid() && on.isValid() && p.effective > on)
            continue;
        const bool exact = p.model == model;
        // A dated snapshot ("gpt-4o-mini-2024-07-18") is priced like its family.
        const bool family = model.startsWith(p.model + u'-');
        if (!exact && !family)
            continue;
        const qsizetype length = exact ? model.size() + 1 : p.model.size();
        if (length > bestLength || (length == bestLength && best && p.effective > best->effective)) {
            best = p;
            bestLength = length;
        }
    }
    return best;
}

double PriceTable::cost(const ModelPrice& price, qint64 input, qint64 cached, qint64 output)
{
    const qint64 uncached = std::max<qint64>(0, input - cached);
    return (double(uncached) * price.inputPerMillion + double(std::min(cached, input)) * price.cachedInputPerMillion
            + double(output) * price.outputPerMillion)
        / 1e6;
}

} // namespace tb::core
