// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tb::core {

/// What a model costs per million tokens, from a given date on.
struct ModelPrice
{
    QString model;
    double inputPerMillion = 0;
    double cachedInputPerMillion = 0;
    double outputPerMillion = 0;
    QDate effective;                          // invalid: in effect at any date
    /// Where a provider prices reasoning apart from other output; otherwise reasoning tokens are
    /// output tokens and cost the output price.
    std::optional<double> reasoningPerMillion = std::nullopt;
};

/// Model prices for estimating what a conversation cost. The SDK's turn_usage records tokens but
/// no model, so the model comes from the workbench's own request rows, an analyst's assignment,
/// or a default (see ModelResolver). Several versions of a model's price are kept (one per
/// effective date) so that old sessions are priced at the prices of their day.
///
/// JSON form (`threadbench-prices/1`, UTF-8):
/// `{"format": "threadbench-prices/1", "currency": "USD", "prices": [{"model": "gpt-4.1",
/// "input_per_million": 2.0, "cached_input_per_million": 0.5, "output_per_million": 8.0,
/// "reasoning_per_million": 8.0, "effective": "2025-08-07"}]}` — `reasoning_per_million` and
/// `effective` are optional.
class PriceTable final
{
public:
    static constexpr const char16_t* kFormat = u"threadbench-prices/1";

    /// OpenAI's public list prices for common models as of the date each carries; the demo model
    /// is free. Prices change: this table is the starting point, not the truth.
    static PriceTable defaults();
    /// One price for every kind of token, per thousand tokens: the lesson's "$0.01 per 1,000
    /// tokens" is `flat(u"lesson"_s, 0.01)` (10 per million for input, cached input and output).
    static ModelPrice flat(const QString& model, double perThousandTokens, const QDate& effective = {});

    void add(const ModelPrice& price) { m_prices.push_back(price); }
    /// Replaces the version with the same model and effective date, or adds it.
    void set(const ModelPrice& price);
    /// Removes one version; false when there was none.
    bool remove(const QString& model, const QDate& effective);
    [[nodiscard]] const QList<ModelPrice>& prices() const { return m_prices; }
    [[nodiscard]] bool isEmpty() const { return m_prices.isEmpty(); }
    /// Every version of exactly this model name, oldest first.
    [[nodiscard]] QList<ModelPrice> versions(const QString& model) const;
    /// Distinct model names, sorted.
    [[nodiscard]] QStringList models() const;
    /// The price of a model on a date: exact name first, then the longest known name the model
    /// starts with (dated snapshots such as gpt-4.1-mini-2025-04-14), latest effective date not
    /// after `on`.
    [[nodiscard]] std::optional<ModelPrice> find(const QString& model, const QDate& on = QDate::currentDate()) const;

    /// US dollars for these tokens; `cached` is the part of `input` served from the prompt cache.
    /// Reasoning tokens, being output tokens, are in `output` and cost the output price.
    static double cost(const ModelPrice& price, qint64 input, qint64 cached, qint64 output);
    /// The same with `reasoning` (part of `output`) at the reasoning price where one is set.
    static double cost(const ModelPrice& price, qint64 input, qint64 cached, qint64 output, qint64 reasoning);

    /// Reads the JSON form; errors (Error::Code::Format) name the entry and field at fault.
    static Result<PriceTable> fromJson(const QByteArray& utf8);
    [[nodiscard]] QByteArray toJson() const;
    static Result<PriceTable> load(const QString& path);
    [[nodiscard]] Result<void> save(const QString& path) const;

private:
    QList<ModelPrice> m_prices;
};

} // namespace tb::core
