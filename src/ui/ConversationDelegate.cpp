// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ConversationDelegate.h"

#include "ConversationModel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QFontDatabase>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <climits>

namespace tb::ui {

namespace {

constexpr int kMargin = 8;
constexpr int kPad = 10;
constexpr int kFoldedLines = 2;
constexpr qsizetype kMaxShownCharacters = 20000;

using Kind = ConversationModel::Kind;

Kind kindOf(const QModelIndex& index)
{
    return index.data(ConversationModel::KindRole).value<Kind>();
}

QString title(const QModelIndex& index)
{
    switch (kindOf(index)) {
    case Kind::Message: {
        const QString role = index.data(ConversationModel::RoleNameRole).toString();
        QString t = role.isEmpty() ? QObject::tr("Message") : role.left(1).toUpper() + role.mid(1);
        if (index.data(ConversationModel::RefusalRole).toBool())
            t += QObject::tr(" — refusal");
        return t;
    }
    case Kind::Pending: return QObject::tr("Assistant — answering…");
    case Kind::ToolCall: return QObject::tr("Tool call  %1").arg(index.data(ConversationModel::ToolNameRole).toString());
    case Kind::ToolOutput: return QObject::tr("Tool output  %1").arg(index.data(ConversationModel::CallIdRole).toString());
    case Kind::Reasoning: return QObject::tr("Reasoning summary");
    case Kind::Corrupt: return QObject::tr("Unreadable row (not valid JSON)");
    default: return QObject::tr("Item of type “%1”").arg(index.data(ConversationModel::TextRole).toString());
    }
}

QString body(const QModelIndex& index)
{
    switch (kindOf(index)) {
    case Kind::ToolCall: return index.data(ConversationModel::ArgumentsRole).toString();
    case Kind::Other: return index.data(ConversationModel::ItemJsonRole).toString();
    default: return index.data(ConversationModel::TextRole).toString();
    }
}

bool isMono(Kind k)
{
    return k == Kind::ToolCall || k == Kind::ToolOutput || k == Kind::Other || k == Kind::Corrupt;
}

bool foldable(Kind k)
{
    return k == Kind::ToolCall || k == Kind::ToolOutput || k == Kind::Other || k == Kind::Reasoning;
}

QColor accent(Kind k, const QString& role, const QPalette& pal)
{
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    if (k == Kind::Message && role == u"user")
        return dark ? QColor(0x5b, 0x9b, 0xf0) : QColor(0x1f, 0x6f, 0xd1);
    if (k == Kind::Message || k == Kind::Pending)
        return dark ? QColor(0x6c, 0xc6, 0x8b) : QColor(0x1e, 0x8a, 0x4c);
    if (k == Kind::ToolCall || k == Kind::ToolOutput)
        return dark ? QColor(0xe0, 0xa4, 0x58) : QColor(0xb3, 0x6b, 0x00);
    if (k == Kind::Corrupt)
        return QColor(0xd0, 0x3b, 0x3b);
    return pal.color(QPalette::PlaceholderText);
}

QString badge(const QVariantMap& u)
{
    if (u.isEmpty())
        return QObject::tr("no usage stored");
    const QLocale l;
    QString s = QObject::tr("%1 in").arg(l.toString(u.value(QStringLiteral("input")).toLongLong()));
    if (u.value(QStringLiteral("cached")).toLongLong() > 0)
        s += QObject::tr(" (%1 cached)").arg(l.toString(u.value(QStringLiteral("cached")).toLongLong()));
    s += QObject::tr(" · %1 out").arg(l.toString(u.value(QStringLiteral("output")).toLongLong()));
    if (u.value(QStringLiteral("reasoning")).toLongLong() > 0)
        s += QObject::tr(" (%1 reasoning)").arg(l.toString(u.value(QStringLiteral("reasoning")).toLongLong()));
    s += QObject::tr(" · %n request(s)", nullptr, u.value(QStringLiteral("requests")).toInt());
    return s;
}

} // namespace

struct ConversationDelegate::Layout
{
    QRect card;
    QRect titleRect;
    QRect bodyRect;
    QTextDocument* doc = nullptr;
    bool folded = false;
    int height = 0;
};

ConversationDelegate::ConversationDelegate(QObject* parent) : QStyledItemDelegate(parent), m_docs(2000) {}

QTextDocument* ConversationDelegate::document(const QModelIndex& index, const QString& text, bool markdown, bool mono, int width,
                                              const QFont& font) const
{
    const QString key = QStringLiteral("%1|%2|%3|%4|%5")
                            .arg(index.data(ConversationModel::SequenceRole).toLongLong())
                            .arg(width)
                            .arg(qHash(text))
                            .arg(int(mono))
                            .arg(font.pointSizeF());
    if (QTextDocument* d = m_docs.object(key))
        return d;
    auto* doc = new QTextDocument;
    doc->setDocumentMargin(0);
    doc->setDefaultFont(mono ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : font);
    if (markdown)
        doc->setMarkdown(text, QTextDocument::MarkdownDialectGitHub);
    else
        doc->setPlainText(text);
    doc->setTextWidth(width);
    m_docs.insert(key, doc, 1);
    return doc;
}

ConversationDelegate::Layout ConversationDelegate::layout(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    Layout l;
    const Kind k = kindOf(index);
    const QFontMetrics fm(option.font);
    const int width = std::max(200, option.rect.width());
    if (k == Kind::TurnHeader) {
        l.height = fm.height() + 2 * kPad;
        l.card = QRect(option.rect.left() + kMargin, option.rect.top() + 4, width - 2 * kMargin, l.height - 4);
        return l;
    }
    l.card = QRect(option.rect.left() + kMargin, option.rect.top() + kMargin / 2, width - 2 * kMargin, 0);
    l.titleRect = QRect(l.card.left() + kPad, l.card.top() + kPad / 2, l.card.width() - 2 * kPad, fm.height());
    const int bodyWidth = l.card.width() - 2 * kPad;
    const bool expanded = index.data(ConversationModel::ExpandedRole).toBool();
    l.folded = foldable(k) && !expanded;
    QString text = body(index);
    // A 10 MB message would take the layout engine seconds per paint: show its beginning and say
    // how to get the rest (Copy takes the whole text from the model).
    if (text.size() > kMaxShownCharacters) {
        const qsizetype hidden = text.size() - kMaxShownCharacters;
        text.truncate(kMaxShownCharacters);
        text += QObject::tr("\n\n… %n more character(s) not shown; Copy (Ctrl+C) takes the whole text.", nullptr, int(std::min<qsizetype>(hidden, INT_MAX)));
    }
    if (l.folded) {
        QStringList lines = text.split(u'\n', Qt::KeepEmptyParts);
        if (lines.size() > kFoldedLines) {
            lines = lines.mid(0, kFoldedLines);
            lines << QObject::tr("… (click to unfold)");
        }
        text = lines.join(u'\n');
    }
    const bool markdown = k == Kind::Message || k == Kind::Pending;
    l.doc = document(index, text, markdown, isMono(k), bodyWidth, option.font);
    const int bodyHeight = int(std::ceil(l.doc->size().height()));
    l.bodyRect = QRect(l.card.left() + kPad, l.titleRect.bottom() + 6, bodyWidth, bodyHeight);
    l.card.setHeight(l.bodyRect.bottom() - l.card.top() + kPad);
    l.height = l.card.height() + kMargin;
    return l;
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    return {opt.rect.width(), layout(opt, index).height};
}

void ConversationDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Layout l = layout(opt, index);
    const QPalette& pal = opt.palette;
    const Kind k = kindOf(index);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const bool selected = opt.state & QStyle::State_Selected;

    if (k == Kind::TurnHeader) {
        p->setPen(Qt::NoPen);
        p->setBrush(pal.color(QPalette::AlternateBase));
        p->drawRoundedRect(l.card, 4, 4);
        QFont bold = opt.font;
        bold.setBold(true);
        p->setFont(bold);
        p->setPen(pal.color(QPalette::Text));
        const QRect text = l.card.adjusted(kPad, 0, -kPad, 0);
        p->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, index.data(Qt::DisplayRole).toString());
        p->setFont(opt.font);
        p->setPen(pal.color(QPalette::PlaceholderText));
        QString right = badge(index.data(ConversationModel::UsageRole).toMap());
        const QString model = index.data(ConversationModel::ModelRole).toString();
        if (!model.isEmpty())
            right = model + QStringLiteral(" · ") + right;
        p->drawText(text, Qt::AlignVCenter | Qt::AlignRight, right);
        p->restore();
        return;
    }

    const QColor edge = accent(k, index.data(ConversationModel::RoleNameRole).toString(), pal);
    QPainterPath path;
    path.addRoundedRect(l.card, 6, 6);
    p->fillPath(path, selected ? pal.color(QPalette::Highlight).lighter(pal.color(QPalette::Base).lightness() < 128 ? 60 : 185)
                               : pal.color(QPalette::Base));
    p->setPen(QPen(pal.color(QPalette::Mid), 1));
    p->drawPath(path);
    p->fillRect(QRect(l.card.left(), l.card.top() + 3, 4, l.card.height() - 6), edge);

    QFont titleFont = opt.font;
    titleFont.setBold(true);
    p->setFont(titleFont);
    p->setPen(edge);
    p->drawText(l.titleRect, Qt::AlignLeft | Qt::AlignVCenter, title(index));
    p->setFont(opt.font);
    p->setPen(pal.color(QPalette::PlaceholderText));
    QString meta = index.data(ConversationModel::TimestampRole).toString();
    if (foldable(k))
        meta = (l.folded ? QObject::tr("▸ show") : QObject::tr("▾ hide")) + QStringLiteral("   ") + meta;
    p->drawText(l.titleRect, Qt::AlignRight | Qt::AlignVCenter, meta);

    p->translate(l.bodyRect.topLeft());
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette = pal;
    ctx.palette.setColor(QPalette::Text, k == Kind::Reasoning ? pal.color(QPalette::PlaceholderText) : pal.color(QPalette::Text));
    ctx.clip = QRectF(0, 0, l.bodyRect.width(), l.bodyRect.height());
    l.doc->documentLayout()->draw(p, ctx);
    p->restore();
}

bool ConversationDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                       const QModelIndex& index)
{
    if (event->type() == QEvent::MouseButtonRelease && foldable(kindOf(index))) {
        auto* me = static_cast<QMouseEvent*>(event);
        if (me->button() == Qt::LeftButton) {
            const bool expanded = index.data(ConversationModel::ExpandedRole).toBool();
            model->setData(index, !expanded, ConversationModel::ExpandedRole);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace tb::ui
