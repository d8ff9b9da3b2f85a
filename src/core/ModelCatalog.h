// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// Facts about common models that the SDK's tables do not record, such as the context window
/// (tokens of input plus output one request may hold). Names match like price names: exact first,
/// then the longest known family a dated snapshot starts with ("gpt-4o-2024-08-06" → gpt-4o).
class ModelCatalog final
{
public:
    struct Entry
    {
        QString model;
        qint64 contextWindow = 0;
    };

    /// OpenAI's published context windows of the models PriceTable::defaults() prices.
    static const QList<Entry>& entries();
    /// The context window of a model, or nullopt when the catalogue does not know it.
    static std::optional<qint64> contextWindow(const QString& model);
};

} // namespace tb::core
