// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ConversationModel.h"

#include "core/ConversationExport.h"

#include <limits>

namespace tb::ui {

using core::Json;

namespace {

ConversationModel::Kind kindOf(const core::StoredItem& it)
{
    using Kind = ConversationModel::Kind;
    if (it.corrupt)
        return Kind::Corrupt;
    const Json& item = it.item;
    if (item[u"role"].isString() && item.contains(u"content"))
        return Kind::Message;
    const QString type = item[u"type"].toString();
    if (type.endsWith(u"_call") || type == u"mcp_approval_request" || type == u"program")
        return Kind::ToolCall;
    if (type.endsWith(u"_call_output") || type == u"tool_search_output" || type == u"mcp_approval_response")
        return Kind::ToolOutput;
    if (type == u"reasoning")
        return Kind::Reasoning;
    return Kind::Other;
}

} // namespace

ConversationModel::ConversationModel(QObject* parent) : QAbstractListModel(parent) {}

void ConversationModel::setSession(core::BranchingSession* session, const QString& branchId)
{
    beginResetModel();
    m_session = session;
    m_branch = branchId;
    m_rows.clear();
    m_usage.clear();
    m_loaded = 0;
    m_lastSequence = 0;
    m_total = 0;
    m_error.clear();
    m_pending.clear();
    m_hasPending = false;
    if (m_session) {
        auto count = m_session->branchItemCount(branchId);
        if (count)
            m_total = *count;
        else
            m_error = count.error().message;
    }
    endResetModel();
    if (!m_error.isEmpty())
        Q_EMIT loadFailed(m_error);
    else if (canFetchMore({}))
        fetchMore({});
}

void ConversationModel::setTurnModels(const QHash<qint64, QString>& models)
{
    m_models = models;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {ModelRole});
}

void ConversationModel::setItems(const QList<core::StoredItem>& items)
{
    beginResetModel();
    m_session = nullptr;
    m_branch.clear();
    m_rows.clear();
    m_usage.clear();
    m_loaded = 0;
    m_total = items.size();
    m_error.clear();
    m_pending.clear();
    m_hasPending = false;
    endResetModel();
    if (!items.isEmpty())
        appendItems(items);
}

int ConversationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size()) + (m_hasPending ? 1 : 0);
}

bool ConversationModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_session && m_loaded < m_total && m_error.isEmpty();
}

void ConversationModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    auto page = m_session->branchItemsAfter(m_branch, m_lastSequence, m_loaded == 0 ? kFirstPageSize : kPageSize);
    if (!page) {
        m_error = page.error().message;
        Q_EMIT loadFailed(m_error);
        return;
    }
    if (page->isEmpty()) {
        m_total = m_loaded; // the branch shrank under us (another program popped items)
        return;
    }
    // Usage of just the turns on this page (a 20,000-turn session is not read whole).
    qint64 from = std::numeric_limits<qint64>::max();
    qint64 to = std::numeric_limits<qint64>::min();
    for (const core::StoredItem& it : *page) {
        if (it.turn) {
            from = std::min(from, *it.turn);
            to = std::max(to, *it.turn);
        }
    }
    if (from <= to) {
        if (auto usage = m_session->turnUsagesBetween(m_branch, from, to)) {
            for (const core::TurnUsage& u : *usage) {
                if (u.userTurnNumber)
                    m_usage.insert(*u.userTurnNumber, u);
            }
        }
    }
    m_lastSequence = page->last().sequenceNumber;
    appendItems(*page);
}

void ConversationModel::fetchAll()
{
    while (canFetchMore({}))
        fetchMore({});
}

int ConversationModel::rowForTurn(qint64 turn)
{
    while (true) {
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).kind == Kind::TurnHeader && m_rows.at(i).turn == turn)
                return int(i);
        }
        if (!canFetchMore({}))
            return -1;
        fetchMore({});
    }
}

void ConversationModel::appendItems(const QList<core::StoredItem>& items)
{
    QList<Row> rows;
    std::optional<qint64> lastTurn;
    bool haveLast = false;
    for (qsizetype i = m_rows.size() - 1; i >= 0; --i) {
        if (m_rows.at(i).kind != Kind::Pending) {
            lastTurn = m_rows.at(i).turn;
            haveLast = true;
            break;
        }
    }
    for (const core::StoredItem& it : items) {
        if (!haveLast || it.turn != lastTurn) {
            Row header;
            header.kind = Kind::TurnHeader;
            header.turn = it.turn;
            rows.push_back(header);
            lastTurn = it.turn;
            haveLast = true;
        }
        Row r;
        r.kind = kindOf(it);
        r.item = it;
        r.turn = it.turn;
        // Messages are read; machinery (tool payloads, raw items) starts folded.
        r.expanded = r.kind == Kind::Message || r.kind == Kind::Corrupt;
        rows.push_back(std::move(r));
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    m_loaded += items.size();
    endInsertRows();
}

QVariantMap ConversationModel::usageMap(const std::optional<qint64>& turn) const
{
    if (!turn || !m_usage.contains(*turn))
        return {};
    const core::TurnUsage& u = m_usage[*turn];
    return {{QStringLiteral("requests"), u.requests.toInt()},
            {QStringLiteral("input"), u.inputTokens.toInt()},
            {QStringLiteral("cached"), u.inputTokensDetails[u"cached_tokens"].toInt()},
            {QStringLiteral("output"), u.outputTokens.toInt()},
            {QStringLiteral("reasoning"), u.outputTokensDetails[u"reasoning_tokens"].toInt()},
            {QStringLiteral("total"), u.totalTokens.toInt()}};
}

QString ConversationModel::markdown(const Row& row) const
{
    if (row.kind == Kind::TurnHeader)
        return QStringLiteral("## Turn %1\n").arg(row.turn ? QString::number(*row.turn) : QStringLiteral("?"));
    return core::ConversationExport::toMarkdown({}, {row.item}, {}).section(u'\n', 4); // drop title and header lines
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (m_hasPending && index.row() == m_rows.size()) {
        switch (role) {
        case KindRole: return QVariant::fromValue(Kind::Pending);
        case RoleNameRole: return QStringLiteral("assistant");
        case Qt::DisplayRole:
        case TextRole:
        case MarkdownRole: return m_pending;
        case ExpandedRole: return true;
        default: return {};
        }
    }
    const Row& r = m_rows.at(index.row());
    const Json& item = r.item.item;
    switch (role) {
    case KindRole: return QVariant::fromValue(r.kind);
    case TurnRole: return r.turn ? QVariant(*r.turn) : QVariant();
    case UsageRole: return r.kind == Kind::TurnHeader ? QVariant(usageMap(r.turn)) : QVariant();
    case ModelRole: return r.turn ? m_models.value(*r.turn) : QString();
    case ExpandedRole: return r.expanded;
    case MarkdownRole: return markdown(r);
    default: break;
    }
    if (r.kind == Kind::TurnHeader) {
        if (role == Qt::DisplayRole || role == TextRole)
            return tr("Turn %1").arg(r.turn ? QString::number(*r.turn) : QStringLiteral("?"));
        if (role == Qt::AccessibleTextRole)
            return tr("Turn %1 header").arg(r.turn ? QString::number(*r.turn) : QStringLiteral("?"));
        return {};
    }
    switch (role) {
    case RoleNameRole: return item[u"role"].toString();
    case ToolNameRole: return r.item.toolName.value_or(item[u"name"].toString());
    case CallIdRole: return item[u"call_id"].toString();
    case ArgumentsRole: return Json::prettyText(item[u"arguments"].isString() ? item[u"arguments"].toString() : item[u"arguments"].dumpUnicode());
    case ItemJsonRole: return r.item.corrupt ? r.item.rawText : item.pretty();
    case TimestampRole: return r.item.createdAt;
    case MessageIdRole: return r.item.messageId;
    case SequenceRole: return r.item.sequenceNumber;
    case RefusalRole: {
        for (const Json& part : item[u"content"].asArray()) {
            if (part[u"type"].toString() == u"refusal")
                return true;
        }
        return false;
    }
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
    case TextRole:
        switch (r.kind) {
        case Kind::Message: return core::ConversationExport::contentText(item[u"content"]);
        case Kind::ToolOutput: {
            const Json& out = item[u"output"];
            return out.isString() ? Json::prettyText(out.toString()) : core::ConversationExport::contentText(out);
        }
        case Kind::Reasoning: {
            QStringList parts;
            for (const Json& p : item[u"summary"].asArray())
                parts << p[u"text"].toString();
            return parts.join(u'\n');
        }
        case Kind::ToolCall: return tr("%1(…)").arg(r.item.toolName.value_or(item[u"type"].toString()));
        case Kind::Corrupt: return r.item.rawText;
        default: return item[u"type"].toString();
        }
    default: return {};
    }
}

bool ConversationModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != ExpandedRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || index.row() >= m_rows.size())
        return false;
    Row& r = m_rows[index.row()];
    if (r.kind == Kind::TurnHeader || r.expanded == value.toBool())
        return false;
    r.expanded = value.toBool();
    Q_EMIT dataChanged(index, index, {ExpandedRole});
    return true;
}

Qt::ItemFlags ConversationModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

void ConversationModel::setPendingText(const QString& text)
{
    if (!m_hasPending) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_hasPending = true;
        m_pending = text;
        endInsertRows();
        return;
    }
    m_pending = text;
    const QModelIndex i = index(int(m_rows.size()));
    Q_EMIT dataChanged(i, i);
}

void ConversationModel::clearPending()
{
    if (!m_hasPending)
        return;
    beginRemoveRows({}, int(m_rows.size()), int(m_rows.size()));
    m_hasPending = false;
    m_pending.clear();
    endRemoveRows();
}

QHash<int, QByteArray> ConversationModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(TextRole, "text");
    names.insert(TurnRole, "turn");
    names.insert(ToolNameRole, "toolName");
    return names;
}

} // namespace tb::ui
