// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QCache>
#include <QStyledItemDelegate>
#include <QTextDocument>

namespace tb::ui {

/// Paints conversation rows as cards: turn headers with token badges, messages rendered from
/// Markdown, tool calls and outputs as folded monospace blocks (click to unfold), reasoning as a
/// quiet aside, unreadable or unknown items raw. Colours come from the palette, so light and dark
/// themes both read well.
class ConversationDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ConversationDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;
    /// Forget cached layouts (after a font or model change).
    void clearCache() { m_docs.clear(); }

private:
    struct Layout;
    Layout layout(const QStyleOptionViewItem& option, const QModelIndex& index) const;
    QTextDocument* document(const QModelIndex& index, const QString& text, bool markdown, bool mono, int width,
                            const QFont& font) const;

    mutable QCache<QString, QTextDocument> m_docs;
};

} // namespace tb::ui
