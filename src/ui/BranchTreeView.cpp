// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchTreeView.h"

#include "BranchTreeOverview.h"

#include <QFontMetrics>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace tb::ui {

namespace {

constexpr qreal kLabelWidth = 160;
constexpr qreal kColumnWidth = 230;
constexpr qreal kNodeWidth = 200;
constexpr qreal kNodeHeight = 34;
constexpr qreal kLaneHeight = 56;
constexpr int kQuestionChars = 40;
constexpr double kMinScale = 0.02;
constexpr double kMaxScale = 4.0;

// Mid-lightness hues (Okabe–Ito based): the fills keep contrast against both a light and a dark
// window, and node text picks black or white by luminance.
const QList<QColor>& lanePalette()
{
    static const QList<QColor> colours{QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                                       QColor(0xCC, 0x79, 0xA7), QColor(0xD5, 0x5E, 0x00), QColor(0x56, 0xB4, 0xE9),
                                       QColor(0x8E, 0x6C, 0xC8), QColor(0x7F, 0x8C, 0x2A)};
    return colours;
}

QColor laneColour(int lane)
{
    return lanePalette().at(lane % lanePalette().size());
}

bool isDark(const QColor& c)
{
    return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() < 0.55;
}

qreal laneY(int lane)
{
    return lane * kLaneHeight;
}

qreal turnX(qint64 turn)
{
    return kLabelWidth + qreal(std::max<qint64>(turn, 1) - 1) * kColumnWidth;
}

// One turn: a rounded box painted directly (no child text items), so tens of thousands stay cheap.
class TurnNodeItem final : public QGraphicsItem
{
public:
    TurnNodeItem(const QColor& fill, const QString& text, int index)
        : m_fill(fill)
        , m_text(text)
    {
        setData(0, index);
        setFlags(ItemIsSelectable);
        setAcceptHoverEvents(false);
    }

    QRectF boundingRect() const override { return {-2, -2, kNodeWidth + 4, kNodeHeight + 4}; }

    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) override
    {
        const QRectF r(0, 0, kNodeWidth, kNodeHeight);
        painter->setRenderHint(QPainter::Antialiasing);
        QPen pen(isSelected() ? option->palette.color(QPalette::Highlight) : m_fill.darker(140));
        pen.setWidthF(isSelected() ? 3 : 1);
        painter->setPen(pen);
        painter->setBrush(m_fill);
        painter->drawRoundedRect(r, 8, 8);
        // Text is unreadable below ~35 % zoom; skipping it keeps fitAll() on big trees fast.
        if (option->levelOfDetailFromTransform(painter->worldTransform()) < 0.35)
            return;
        painter->setPen(isDark(m_fill) ? Qt::white : Qt::black);
        const QRectF textRect = r.adjusted(8, 0, -8, 0);
        const QString shown = painter->fontMetrics().elidedText(m_text, Qt::ElideRight, int(textRect.width()));
        painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, shown);
    }

private:
    QColor m_fill;
    QString m_text;
};

QString questionPreview(const QString& question)
{
    const QString simple = question.simplified();
    if (simple.size() <= kQuestionChars)
        return simple;
    return simple.left(kQuestionChars - 1) + QChar(0x2026);
}

} // namespace

BranchTreeView::BranchTreeView(QWidget* parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("branchTreeView"));
    setAccessibleName(tr("Branch tree"));
    setAccessibleDescription(tr("Turns of every branch; arrow keys move between turns and branches"));
    setScene(m_scene);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setRenderHint(QPainter::Antialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setFocusPolicy(Qt::StrongFocus);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &BranchTreeView::onSelectionChanged);
    m_overview = new BranchTreeOverview(this, this);
    m_overview->hide();
}

BranchTreeView::~BranchTreeView() = default;

void BranchTreeView::clear()
{
    m_settingSelection = true;
    m_scene->clear();
    m_settingSelection = false;
    m_nodes.clear();
    m_lanes.clear();
    m_index.clear();
    m_bands.clear();
    m_laneLabels.clear();
    m_selected = -1;
    updateOverview();
}

void BranchTreeView::setTree(const QList<core::BranchNode>& nodes,
                             const QHash<QString, QList<core::ConversationTurn>>& turnsByBranch,
                             const QHash<QString, QHash<qint64, qint64>>& tokensByBranchTurn,
                             const QString& currentBranch, const QList<core::BranchMeta>& meta)
{
    // A redraw (the window redraws after every switch) keeps the picked nodes: the anchor and a
    // Ctrl+clicked second branch to compare.
    QList<QPair<QString, qint64>> picked;
    std::optional<QPair<QString, qint64>> anchor;
    if (m_selected >= 0)
        anchor = qMakePair(m_nodes.at(m_selected).branchId, m_nodes.at(m_selected).turn);
    for (QGraphicsItem* item : m_scene->selectedItems()) {
        const int index = item->data(0).toInt();
        if (index >= 0 && index < m_nodes.size())
            picked << qMakePair(m_nodes.at(index).branchId, m_nodes.at(index).turn);
    }
    clear();
    QHash<QString, core::BranchMeta> metaById;
    for (const core::BranchMeta& m : meta)
        metaById.insert(m.branchId, m);
    m_currentBranch = currentBranch;
    if (nodes.isEmpty())
        return;

    int laneCount = 0;
    qint64 maxTurn = 1;
    qint64 maxTokens = 0;
    for (const core::BranchNode& b : nodes) {
        laneCount = std::max(laneCount, b.lane + 1);
        if (!b.ownTurns.isEmpty())
            maxTurn = std::max(maxTurn, b.ownTurns.last());
        const QHash<qint64, qint64> tokens = tokensByBranchTurn.value(b.branchId);
        for (auto it = tokens.cbegin(); it != tokens.cend(); ++it)
            maxTokens = std::max(maxTokens, it.value());
    }
    m_lanes.resize(laneCount);
    const qreal sceneRight = turnX(maxTurn) + kNodeWidth + 20;
    const QPalette pal = palette();
    QHash<QString, const core::BranchNode*> byId;
    for (const core::BranchNode& b : nodes)
        byId.insert(b.branchId, &b);

    for (const core::BranchNode& b : nodes) {
        const QColor colour = laneColour(b.lane);
        const qreal y = laneY(b.lane);
        const bool current = b.branchId == currentBranch;

        // Lane band: faint for every lane, stronger with an outline for the current branch.
        auto* band = m_scene->addRect(QRectF(0, y, sceneRight, kLaneHeight));
        QColor bandFill = colour;
        bandFill.setAlpha(current ? 70 : 18);
        band->setBrush(bandFill);
        band->setPen(current ? QPen(colour, 2) : QPen(Qt::NoPen));
        band->setZValue(-2);
        band->setData(1, current);
        band->setToolTip(b.branchId);
        m_bands.insert(b.branchId, band);

        // The analyst's name for the branch, a star when preferred, and the outcome label.
        const core::BranchMeta m = metaById.value(b.branchId);
        QString name = m.displayName.isEmpty() ? b.branchId : m.displayName;
        if (m.preferred)
            name = QChar(0x2605) + u' ' + name;
        m_laneLabels.insert(b.branchId, m.outcome.isEmpty() ? name : name + u'\n' + u'[' + m.outcome + u']');
        auto* label = m_scene->addSimpleText(name);
        QFont font = this->font();
        font.setBold(current);
        label->setFont(font);
        label->setBrush(pal.color(QPalette::Text));
        const QString elided = QFontMetrics(font).elidedText(name, Qt::ElideMiddle, int(kLabelWidth - 16));
        label->setText(m.outcome.isEmpty() ? elided
                                           : elided + u'\n'
                                                 + QFontMetrics(font).elidedText(u'[' + m.outcome + u']', Qt::ElideRight,
                                                                                 int(kLabelWidth - 16)));
        label->setPos(8, y + (kLaneHeight - label->boundingRect().height()) / 2);
        QString labelTip = b.branchId;
        if (!m.displayName.isEmpty())
            labelTip = m.displayName + u" (" + b.branchId + u')';
        if (b.parent)
            labelTip += u'\n' + tr("Forked from %1 at turn %2").arg(*b.parent).arg(b.forkTurn);
        if (m.preferred)
            labelTip += u'\n' + tr("Preferred branch");
        if (!m.outcome.isEmpty())
            labelTip += u'\n' + tr("Outcome: %1").arg(m.outcome);
        if (!m.note.isEmpty())
            labelTip += u'\n' + tr("Note: %1").arg(m.note);
        label->setToolTip(labelTip);
        band->setToolTip(labelTip);

        QHash<qint64, QString> questions;
        for (const core::ConversationTurn& t : turnsByBranch.value(b.branchId)) {
            if (t.turn)
                questions.insert(*t.turn, t.content);
        }
        const QHash<qint64, qint64> tokens = tokensByBranchTurn.value(b.branchId);

        QPainterPath edges;
        for (qint64 turn : b.ownTurns) {
            const QString question = questions.value(turn);
            const auto tok = tokens.constFind(turn);
            // Intensity by tokens: 35 % of the lane colour for no usage, full colour for the maximum.
            const double share = (tok != tokens.cend() && maxTokens > 0) ? double(*tok) / double(maxTokens) : 0.0;
            QColor fill = colour;
            fill.setAlphaF(float(0.35 + 0.65 * share));
            const QColor solid =
                QColor::fromRgbF(float(fill.alphaF() * fill.redF() + (1 - fill.alphaF()) * bandFill.redF()),
                                 float(fill.alphaF() * fill.greenF() + (1 - fill.alphaF()) * bandFill.greenF()),
                                 float(fill.alphaF() * fill.blueF() + (1 - fill.alphaF()) * bandFill.blueF()));
            const QString text = u'T' + QString::number(turn) + u"  " + questionPreview(question);
            const int index = int(m_nodes.size());
            auto* item = new TurnNodeItem(solid, text, index);
            item->setPos(turnX(turn), y + (kLaneHeight - kNodeHeight) / 2);
            QString tip = tr("%1 — turn %2").arg(b.branchId).arg(turn);
            tip += u'\n' + (question.isEmpty() ? tr("(no user question)") : question);
            tip += u'\n' + (tok != tokens.cend() ? tr("Tokens: %1").arg(*tok) : tr("Tokens: none recorded"));
            item->setToolTip(tip);
            m_scene->addItem(item);
            m_nodes.push_back({b.branchId, turn, b.lane, item});
            m_lanes[b.lane].push_back(index);
            m_index[b.branchId].insert(turn, index);
        }
        // Edges between consecutive own turns.
        for (qsizetype i = 1; i < b.ownTurns.size(); ++i) {
            const qreal cy = y + kLaneHeight / 2;
            edges.moveTo(turnX(b.ownTurns.at(i - 1)) + kNodeWidth, cy);
            edges.lineTo(turnX(b.ownTurns.at(i)), cy);
        }
        if (!edges.isEmpty()) {
            auto* path = m_scene->addPath(edges, QPen(colour.darker(120), 2));
            path->setZValue(-1);
        }
    }

    // Fork edges: from the last shared turn, drawn on whichever ancestor owns it, to the child's
    // first own turn; a fork at turn 1 starts at the parent lane's label.
    const QPen forkPen(pal.color(QPalette::Mid), 2, Qt::DashLine);
    for (const core::BranchNode& b : nodes) {
        if (!b.parent || b.ownTurns.isEmpty())
            continue;
        const core::BranchNode* parent = byId.value(*b.parent);
        if (!parent)
            continue;
        const qint64 shared = b.forkTurn - 1;
        QPointF from(kLabelWidth - 8, laneY(parent->lane) + kLaneHeight / 2);
        if (shared >= 1) {
            const core::BranchNode* owner = parent;
            for (int guard = 0; owner && owner->forkTurn > shared && owner->parent && guard < nodes.size(); ++guard)
                owner = byId.value(*owner->parent);
            if (owner)
                from = QPointF(turnX(shared) + kNodeWidth, laneY(owner->lane) + kLaneHeight / 2);
        }
        const QPointF to(turnX(b.ownTurns.first()), laneY(b.lane) + kLaneHeight / 2);
        QPainterPath path(from);
        const qreal dx = std::max<qreal>((to.x() - from.x()) / 2, 15);
        path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
        auto* edge = m_scene->addPath(path, forkPen);
        edge->setZValue(-1);
    }

    for (QList<int>& lane : m_lanes)
        std::sort(lane.begin(), lane.end(), [this](int a, int b) { return m_nodes.at(a).turn < m_nodes.at(b).turn; });
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-10, -10, 10, 10));
    m_settingSelection = true;
    for (const auto& [branch, turn] : picked) {
        if (QGraphicsItem* item = nodeItem(branch, turn))
            item->setSelected(true);
    }
    m_settingSelection = false;
    if (anchor)
        m_selected = m_index.value(anchor->first).value(anchor->second, -1);
    updateOverview();
}

int BranchTreeView::setCarriedLinks(const QList<CarriedLink>& links)
{
    int drawn = 0;
    QColor colour = palette().color(QPalette::Link);
    for (const CarriedLink& link : links) {
        const QGraphicsItem* target = nodeItem(QStringLiteral("main"), link.mainTurn);
        const auto lane = m_index.constFind(link.sourceBranch);
        if (!target || lane == m_index.cend() || lane->isEmpty())
            continue;
        // From the source branch's last turn to the main node that holds the finding.
        qint64 lastTurn = 0;
        for (auto it = lane->cbegin(); it != lane->cend(); ++it)
            lastTurn = std::max(lastTurn, it.key());
        const QGraphicsItem* source = m_nodes.at(lane->value(lastTurn)).item;
        const QPointF from = source->sceneBoundingRect().center();
        const QPointF to(target->sceneBoundingRect().center().x(), target->sceneBoundingRect().bottom());
        QPainterPath path(from);
        path.cubicTo(from + QPointF(40, 0), to + QPointF(0, 30), to);
        QPen pen(colour, 2, Qt::DotLine);
        auto* edge = m_scene->addPath(path, pen);
        edge->setZValue(1);
        edge->setToolTip(tr("Finding carried from %1 into main, turn %2:\n%3").arg(link.sourceBranch).arg(link.mainTurn).arg(link.text));
        // An arrow head at main, so the direction reads at a glance.
        QPainterPath head;
        head.moveTo(to);
        head.lineTo(to + QPointF(-5, 9));
        head.lineTo(to + QPointF(5, 9));
        head.closeSubpath();
        auto* arrow = m_scene->addPath(head, QPen(colour), colour);
        arrow->setZValue(1);
        ++drawn;
    }
    return drawn;
}

QString BranchTreeView::laneLabel(const QString& branchId) const
{
    return m_laneLabels.value(branchId);
}

QStringList BranchTreeView::selectedBranches() const
{
    QStringList out;
    if (m_selected >= 0)
        out << m_nodes.at(m_selected).branchId;
    for (QGraphicsItem* item : m_scene->selectedItems()) {
        const int index = item->data(0).toInt();
        if (index >= 0 && index < m_nodes.size() && !out.contains(m_nodes.at(index).branchId))
            out << m_nodes.at(index).branchId;
    }
    return out;
}

QString BranchTreeView::laneAt(const QPointF& scenePos) const
{
    for (auto it = m_bands.cbegin(); it != m_bands.cend(); ++it) {
        if (it.value()->rect().contains(scenePos))
            return it.key();
    }
    return {};
}

void BranchTreeView::contextMenuEvent(QContextMenuEvent* event)
{
    if (event->reason() == QContextMenuEvent::Keyboard) {
        if (m_selected < 0)
            return;
        const Node& n = m_nodes.at(m_selected);
        const QPoint at = mapFromScene(n.item->sceneBoundingRect().center());
        Q_EMIT contextMenuRequested(n.branchId, n.turn, viewport()->mapToGlobal(at));
        return;
    }
    const QPointF scenePos = mapToScene(event->pos());
    for (QGraphicsItem* item : items(event->pos())) {
        const QVariant index = item->data(0);
        if (index.isValid() && index.toInt() >= 0 && index.toInt() < m_nodes.size()) {
            const Node& n = m_nodes.at(index.toInt());
            Q_EMIT contextMenuRequested(n.branchId, n.turn, event->globalPos());
            return;
        }
    }
    const QString lane = laneAt(scenePos);
    if (!lane.isEmpty())
        Q_EMIT contextMenuRequested(lane, 0, event->globalPos());
}

void BranchTreeView::updateOverview()
{
    if (!m_overview)
        return;
    const QRectF scene = m_scene->sceneRect();
    const QSize view = viewport()->size();
    const double scale = transform().m11();
    // Only worth its space when the tree does not fit; sized to the scene's shape, within limits.
    const bool needed = !m_bands.isEmpty() && (scene.width() * scale > view.width() + 1 || scene.height() * scale > view.height() + 1);
    if (!needed) {
        m_overview->hide();
        return;
    }
    const int w = std::clamp(view.width() / 4, 120, 260);
    const int h = std::clamp(int(w * scene.height() / std::max<qreal>(scene.width(), 1.0)), 24, std::max(24, view.height() / 2));
    const QRect vp = viewport()->geometry();
    m_overview->setGeometry(vp.right() - w - 6, vp.bottom() - h - 6, w, h);
    m_overview->show();
    m_overview->raise();
    m_overview->refresh();
}

void BranchTreeView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    updateOverview();
}

void BranchTreeView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    if (m_overview && m_overview->isVisible())
        m_overview->update(); // only the frame moves; the picture stays
}

QGraphicsItem* BranchTreeView::nodeItem(const QString& branchId, qint64 turn) const
{
    const int index = m_index.value(branchId).value(turn, -1);
    return index >= 0 ? m_nodes.at(index).item : nullptr;
}

bool BranchTreeView::isLaneHighlighted(const QString& branchId) const
{
    const QGraphicsRectItem* band = m_bands.value(branchId);
    return band && band->data(1).toBool();
}

bool BranchTreeView::selectTurn(const QString& branchId, qint64 turn)
{
    const int index = m_index.value(branchId).value(turn, -1);
    if (index < 0)
        return false;
    selectNode(index);
    return true;
}

QString BranchTreeView::selectedBranch() const
{
    return m_selected >= 0 ? m_nodes.at(m_selected).branchId : QString();
}

std::optional<qint64> BranchTreeView::selectedTurn() const
{
    if (m_selected < 0)
        return std::nullopt;
    return m_nodes.at(m_selected).turn;
}

int BranchTreeView::selectedIndex() const
{
    return m_selected;
}

void BranchTreeView::selectNode(int index)
{
    if (index < 0 || index >= m_nodes.size())
        return;
    m_settingSelection = true;
    m_scene->clearSelection();
    m_nodes.at(index).item->setSelected(true);
    m_settingSelection = false;
    ensureVisible(m_nodes.at(index).item, 40, 20);
    if (index != m_selected) {
        m_selected = index;
        const Node& n = m_nodes.at(index);
        Q_EMIT turnActivated(n.branchId, n.turn);
    }
}

void BranchTreeView::onSelectionChanged()
{
    if (m_settingSelection)
        return;
    const QList<QGraphicsItem*> selected = m_scene->selectedItems();
    if (selected.isEmpty())
        return; // a click on empty space keeps the last turn as the keyboard anchor
    if (selected.size() > 1)
        return; // Ctrl+click picks a second branch to compare; the shown turn stays
    const int index = selected.first()->data(0).toInt();
    if (index != m_selected && index >= 0 && index < m_nodes.size()) {
        m_selected = index;
        const Node& n = m_nodes.at(index);
        Q_EMIT turnActivated(n.branchId, n.turn);
    }
}

void BranchTreeView::moveWithinLane(int step)
{
    const int current = selectedIndex();
    if (current < 0) {
        for (const QList<int>& lane : m_lanes) {
            if (!lane.isEmpty()) {
                selectNode(lane.first());
                return;
            }
        }
        return;
    }
    const QList<int>& lane = m_lanes.at(m_nodes.at(current).lane);
    const qsizetype pos = lane.indexOf(current) + step;
    if (pos >= 0 && pos < lane.size())
        selectNode(lane.at(pos));
}

void BranchTreeView::moveAcrossLanes(int step)
{
    const int current = selectedIndex();
    if (current < 0) {
        moveWithinLane(0);
        return;
    }
    const qint64 turn = m_nodes.at(current).turn;
    // Lanes without turns (a branch that only copied rows) are skipped.
    for (qsizetype l = m_nodes.at(current).lane + step; l >= 0 && l < m_lanes.size(); l += step) {
        const QList<int>& lane = m_lanes.at(l);
        if (lane.isEmpty())
            continue;
        int best = lane.first();
        for (int candidate : lane) {
            if (std::abs(m_nodes.at(candidate).turn - turn) < std::abs(m_nodes.at(best).turn - turn))
                best = candidate;
        }
        selectNode(best);
        return;
    }
}

void BranchTreeView::keyPressEvent(QKeyEvent* event)
{
    const bool ctrl = event->modifiers().testFlag(Qt::ControlModifier);
    switch (event->key()) {
    case Qt::Key_Left:
        moveWithinLane(-1);
        return;
    case Qt::Key_Right:
        moveWithinLane(1);
        return;
    case Qt::Key_Up:
        moveAcrossLanes(-1);
        return;
    case Qt::Key_Down:
        moveAcrossLanes(1);
        return;
    case Qt::Key_Delete:
        if (m_selected >= 0) {
            Q_EMIT deleteRequested(m_nodes.at(m_selected).branchId);
            return;
        }
        break;
    case Qt::Key_F2:
        if (m_selected >= 0) {
            Q_EMIT renameRequested(m_nodes.at(m_selected).branchId);
            return;
        }
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        if (ctrl) {
            zoomIn();
            return;
        }
        break;
    case Qt::Key_Minus:
        if (ctrl) {
            zoomOut();
            return;
        }
        break;
    case Qt::Key_0:
        if (ctrl) {
            fitAll();
            return;
        }
        break;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

void BranchTreeView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers().testFlag(Qt::ControlModifier)) {
        zoomBy(std::pow(1.15, event->angleDelta().y() / 120.0));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void BranchTreeView::zoomIn()
{
    zoomBy(1.25);
}

void BranchTreeView::zoomOut()
{
    zoomBy(1 / 1.25);
}

void BranchTreeView::zoomBy(double factor)
{
    const double current = transform().m11();
    const double target = std::clamp(current * factor, kMinScale, kMaxScale);
    if (current > 0)
        scale(target / current, target / current);
    updateOverview();
}

void BranchTreeView::fitAll()
{
    if (m_bands.isEmpty())
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    const double s = transform().m11();
    if (s > kMaxScale || s < kMinScale)
        zoomBy(1.0);
    updateOverview();
}

} // namespace tb::ui
