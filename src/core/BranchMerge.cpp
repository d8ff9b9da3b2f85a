// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchMerge.h"

namespace tb::core {

namespace {

// The first line of every carried item: the model (and a human reading the raw row) learns where
// the note came from. Single quotes keep the stored JSON free of \" escapes.
const QString kProvenancePrefix = QStringLiteral("Analyst finding from the what-if branch '");
const QString kProvenanceEnd = QStringLiteral("' (not said by the customer):\n");

} // namespace

Json BranchMerge::findingItem(const QString& branchId, const QString& text)
{
    Json part = Json::object();
    part.insert(QStringLiteral("type"), Json(QStringLiteral("input_text")));
    part.insert(QStringLiteral("text"), Json(QString(kProvenancePrefix + branchId + kProvenanceEnd + text.trimmed())));
    Json content = Json::array();
    content.append(std::move(part));
    // Responses input Message shape: {"type": "message", "role": ..., "content": [input_text]}.
    Json item = Json::object();
    item.insert(QStringLiteral("type"), Json(QStringLiteral("message")));
    item.insert(QStringLiteral("role"), Json(QStringLiteral("developer")));
    item.insert(QStringLiteral("content"), std::move(content));
    return item;
}

std::optional<QString> BranchMerge::findingText(const Json& item)
{
    if (!item.isObject() || item[u"role"].toString() != u"developer" || !item[u"content"].isArray()
        || item[u"content"].size() != 1)
        return std::nullopt;
    const QString text = item[u"content"].asArray().front()[u"text"].toString();
    if (!text.startsWith(kProvenancePrefix))
        return std::nullopt;
    const qsizetype end = text.indexOf(kProvenanceEnd, kProvenancePrefix.size());
    if (end < 0)
        return std::nullopt;
    return text.mid(end + kProvenanceEnd.size());
}

QString BranchMerge::defaultOldMainName(const QDate& date)
{
    return QStringLiteral("main-before-") + date.toString(Qt::ISODate);
}

} // namespace tb::core
