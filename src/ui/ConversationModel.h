// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Session.h"

#include <QAbstractListModel>
#include <QHash>

namespace tb::ui {

/// The items of one branch as display rows, fetched a page at a time (canFetchMore/fetchMore) so
/// a 100,000-item session opens at once. A header row precedes each turn and carries the turn's
/// token usage. Rows are derived from core::StoredItem; the model never writes.
class ConversationModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class Kind { TurnHeader, Message, ToolCall, ToolOutput, Reasoning, Other, Corrupt, Pending };
    Q_ENUM(Kind)

    enum Role {
        KindRole = Qt::UserRole + 1,
        RoleNameRole,     // user, assistant, system, developer
        TextRole,         // message text (Markdown), reasoning summary, or tool output text
        TurnRole,         // turn number (int) or invalid
        ToolNameRole,
        CallIdRole,
        ArgumentsRole,    // pretty-printed arguments JSON
        ItemJsonRole,     // the stored item, pretty-printed
        TimestampRole,
        UsageRole,        // QVariantMap on header rows: requests, input, cached, output, reasoning, total
        ExpandedRole,     // bool; tool calls, outputs and raw items collapse
        RefusalRole,      // bool
        MessageIdRole,
        SequenceRole,
        MarkdownRole,     // the row as Markdown, for "Copy as Markdown"
        ModelRole,        // the model that answered the turn, where the workbench recorded it
    };

    explicit ConversationModel(QObject* parent = nullptr);

    /// Shows `branchId` of `session` (not owned; nullptr clears). Items and the usage of their
    /// turns are read a page at a time.
    void setSession(core::BranchingSession* session, const QString& branchId);
    /// Shows a fixed list of items (plain SQLiteSession files, which have no structure rows).
    void setItems(const QList<core::StoredItem>& items);
    [[nodiscard]] QString branchId() const { return m_branch; }
    [[nodiscard]] qint64 itemCount() const { return m_total; }
    [[nodiscard]] QString lastError() const { return m_error; }
    /// Loads every remaining page (used by find and export of very long sessions).
    void fetchAll();
    /// Row of the header of `turn`, loading pages until it is found; -1 if none.
    int rowForTurn(qint64 turn);

    /// Models per turn (from the workbench's per-request rows; the SDK stores none).
    void setTurnModels(const QHash<qint64, QString>& models);

    /// A live run: text that is still arriving is shown in one pending row at the end.
    void setPendingText(const QString& text);
    void clearPending();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void loadFailed(const QString& message);

private:
    struct Row
    {
        Kind kind = Kind::Other;
        core::StoredItem item;       // empty for headers
        std::optional<qint64> turn;
        bool expanded = false;
    };
    static constexpr qint64 kFirstPageSize = 150; // enough to fill a window; shows fast
    static constexpr qint64 kPageSize = 400;
    void appendItems(const QList<core::StoredItem>& items);
    QVariantMap usageMap(const std::optional<qint64>& turn) const;
    QString markdown(const Row& row) const;

    core::BranchingSession* m_session = nullptr;
    QString m_branch;
    QList<Row> m_rows;
    QHash<qint64, core::TurnUsage> m_usage;
    QHash<qint64, QString> m_models;
    qint64 m_loaded = 0;   // items loaded (not rows)
    qint64 m_lastSequence = 0; // keyset cursor: the last loaded item's sequence number
    qint64 m_total = 0;    // items on the branch
    QString m_error;
    QString m_pending;
    bool m_hasPending = false;
};

} // namespace tb::ui
