// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace tb::core {

/// What a model costs per million tokens, from a given date on.
struct ModelPrice
{
    QString model;
    double inputPerMillion = 0;
    double cachedInputPerMillion = 0;
    double outputPerMillion = 0; // reasoning tokens are output tokens and priced as such
    QDate effective;
};

/// Model prices for estimating what a conversation cost. The SDK's turn_usage records tokens but
/// no model, so the model comes from the workbench's own request rows, or a default.
class PriceTable final
{
public:
    /// OpenAI's public list prices for common models as of the date each carries; the demo model
    /// is free. Prices change: this table is the starting point, not the truth.
    static PriceTable defaults();

    void add(const ModelPrice& price) { m_prices.push_back(price); }
    [[nodiscard]] const QList<ModelPrice>& prices() const { return m_prices; }
    /// The price of a model on a date: exact name first, then the longest known name the model
    /// starts with (dated snapshots such as gpt-4.1-mini-2025-04-14), latest effective date not
    /// after `on`.
    [[nodiscard]] std::optional<ModelPrice> find(const QString& model, const QDate& on = QDate::currentDate()) const;

    /// US dollars for these tokens; `cached` is the part of `input` served from the prompt cache.
    static double cost(const ModelPrice& price, qint64 input, qint64 cached, qint64 output);

private:
    QList<ModelPrice> m_prices;
};

} // namespace tb::core
