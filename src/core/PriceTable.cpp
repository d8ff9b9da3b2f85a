// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "PriceTable.h"

#include "Json.h"

#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

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
        t.add({QString::fromLatin1(r.model), r.in, r.cached, r.out, date, std::nullopt});
    return t;
}

ModelPrice PriceTable::flat(const QString& model, double perThousandTokens, const QDate& effective)
{
    const double perMillion = perThousandTokens * 1000.0;
    return {model, perMillion, perMillion, perMillion, effective, std::nullopt};
}

void PriceTable::set(const ModelPrice& price)
{
    for (ModelPrice& p : m_prices) {
        if (p.model == price.model && p.effective == price.effective) {
            p = price;
            return;
        }
    }
    m_prices.push_back(price);
}

bool PriceTable::remove(const QString& model, const QDate& effective)
{
    return m_prices.removeIf([&](const ModelPrice& p) { return p.model == model && p.effective == effective; }) > 0;
}

QList<ModelPrice> PriceTable::versions(const QString& model) const
{
    QList<ModelPrice> out;
    for (const ModelPrice& p : m_prices) {
        if (p.model == model)
            out << p;
    }
    // An undated price counts as the oldest: any dated version replaces it from its date on.
    std::stable_sort(out.begin(), out.end(), [](const ModelPrice& a, const ModelPrice& b) {
        return a.effective.isValid() && b.effective.isValid() ? a.effective < b.effective : !a.effective.isValid() && b.effective.isValid();
    });
    return out;
}

QStringList PriceTable::models() const
{
    QStringList out;
    for (const ModelPrice& p : m_prices)
        out << p.model;
    out.sort();
    out.removeDuplicates();
    return out;
}

std::optional<ModelPrice> PriceTable::find(const QString& model, const QDate& on) const
{
    std::optional<ModelPrice> best;
    qsizetype bestLength = -1;
    const auto later = [](const QDate& a, const QDate& b) { return a.isValid() && (!b.isValid() || a > b); };
    for (const ModelPrice& p : m_prices) {
        if (p.effective.isValid() && on.isValid() && p.effective > on)
            continue;
        const bool exact = p.model == model;
        // A dated snapshot ("gpt-4o-mini-2024-07-18") is priced like its family.
        const bool family = !exact && model.size() > p.model.size() && model.at(p.model.size()) == u'-' && model.startsWith(p.model);
        if (!exact && !family)
            continue;
        const qsizetype length = exact ? model.size() + 1 : p.model.size();
        if (length > bestLength || (length == bestLength && best && later(p.effective, best->effective))) {
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

double PriceTable::cost(const ModelPrice& price, qint64 input, qint64 cached, qint64 output, qint64 reasoning)
{
    if (!price.reasoningPerMillion)
        return cost(price, input, cached, output);
    const qint64 priced = std::clamp<qint64>(reasoning, 0, std::max<qint64>(0, output));
    return cost(price, input, cached, output - priced) + double(priced) * *price.reasoningPerMillion / 1e6;
}

namespace {

Error formatError(const QString& message)
{
    return Error::make(Error::Code::Format, message);
}

// A price field: a finite number >= 0.
Result<double> priceField(const Json& entry, const QString& field, qsizetype index, bool* present = nullptr)
{
    const Json* v = entry.find(field);
    if (present)
        *present = v && !v->isNull();
    if (!v || v->isNull()) {
        if (present)
            return 0.0;
        return formatError(QStringLiteral("prices[%1]: \"%2\" is missing").arg(index).arg(field));
    }
    if (!v->isNumber() || v->isBool())
        return formatError(QStringLiteral("prices[%1]: \"%2\" must be a number").arg(index).arg(field));
    const double d = v->toDouble();
    if (!std::isfinite(d) || d < 0)
        return formatError(QStringLiteral("prices[%1]: \"%2\" must be zero or more").arg(index).arg(field));
    return d;
}

} // namespace

Result<PriceTable> PriceTable::fromJson(const QByteArray& utf8)
{
    auto doc = Json::parse(utf8);
    if (!doc)
        return formatError(QStringLiteral("not a JSON price table: %1").arg(doc.error().message));
    if (!doc->isObject())
        return formatError(QStringLiteral("a price table must be a JSON object"));
    const Json* format = doc->find(u"format");
    if (!format || format->toString() != QStringView(kFormat)) {
        return formatError(QStringLiteral("unknown price table format %1 (expected \"%2\")")
                               .arg(format ? QString::fromUtf8(format->dump()) : QStringLiteral("(none)"), QString::fromUtf16(kFormat)));
    }
    if (const Json* currency = doc->find(u"currency"); currency && currency->toString() != u"USD")
        return formatError(QStringLiteral("only prices in USD are supported, not %1").arg(QString::fromUtf8(currency->dump())));
    const Json* prices = doc->find(u"prices");
    if (!prices || !prices->isArray())
        return formatError(QStringLiteral("\"prices\" must be a list"));
    PriceTable table;
    qsizetype index = 0;
    for (const Json& e : prices->asArray()) {
        if (!e.isObject())
            return formatError(QStringLiteral("prices[%1] must be an object").arg(index));
        ModelPrice p;
        const Json* model = e.find(u"model");
        if (!model || !model->isString() || model->toString().trimmed().isEmpty())
            return formatError(QStringLiteral("prices[%1]: \"model\" must be a non-empty string").arg(index));
        p.model = model->toString().trimmed();
        auto in = priceField(e, QStringLiteral("input_per_million"), index);
        if (!in)
            return in.error();
        auto cached = priceField(e, QStringLiteral("cached_input_per_million"), index);
        if (!cached)
            return cached.error();
        auto out = priceField(e, QStringLiteral("output_per_million"), index);
        if (!out)
            return out.error();
        bool hasReasoning = false;
        auto reasoning = priceField(e, QStringLiteral("reasoning_per_million"), index, &hasReasoning);
        if (!reasoning)
            return reasoning.error();
        p.inputPerMillion = *in;
        p.cachedInputPerMillion = *cached;
        p.outputPerMillion = *out;
        if (hasReasoning)
            p.reasoningPerMillion = *reasoning;
        if (const Json* eff = e.find(u"effective"); eff && !eff->isNull()) {
            p.effective = QDate::fromString(eff->toString(), Qt::ISODate);
            if (!eff->isString() || !p.effective.isValid())
                return formatError(QStringLiteral("prices[%1]: \"effective\" must be a date YYYY-MM-DD").arg(index));
        }
        for (const ModelPrice& seen : table.m_prices) {
            if (seen.model == p.model && seen.effective == p.effective) {
                return formatError(QStringLiteral("prices[%1]: a second price for %2 effective %3")
                                       .arg(index)
                                       .arg(p.model, p.effective.isValid() ? p.effective.toString(Qt::ISODate) : QStringLiteral("always")));
            }
        }
        table.add(p);
        ++index;
    }
    return table;
}

QByteArray PriceTable::toJson() const
{
    Json::Array list;
    for (const ModelPrice& p : m_prices) {
        Json e = Json::object();
        e.insert(QStringLiteral("model"), Json(p.model));
        e.insert(QStringLiteral("input_per_million"), Json(p.inputPerMillion));
        e.insert(QStringLiteral("cached_input_per_million"), Json(p.cachedInputPerMillion));
        e.insert(QStringLiteral("output_per_million"), Json(p.outputPerMillion));
        if (p.reasoningPerMillion)
            e.insert(QStringLiteral("reasoning_per_million"), Json(*p.reasoningPerMillion));
        if (p.effective.isValid())
            e.insert(QStringLiteral("effective"), Json(p.effective.toString(Qt::ISODate)));
        list.push_back(std::move(e));
    }
    Json doc = Json::object();
    doc.insert(QStringLiteral("format"), Json(QString::fromUtf16(kFormat)));
    doc.insert(QStringLiteral("currency"), Json(QStringLiteral("USD")));
    doc.insert(QStringLiteral("prices"), Json(std::move(list)));
    return doc.dump({false, false, 2}) + '\n';
}

Result<PriceTable> PriceTable::load(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::Argument, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    auto t = fromJson(f.readAll());
    if (!t)
        return Error::make(Error::Code::Format, path + QStringLiteral(": ") + t.error().message);
    return t;
}

Result<void> PriceTable::save(const QString& path) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(toJson()) < 0 || !f.commit())
        return Error::make(Error::Code::Argument, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace tb::core
