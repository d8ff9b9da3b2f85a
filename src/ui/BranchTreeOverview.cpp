// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchTreeOverview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace tb::ui {

BranchTreeOverview::BranchTreeOverview(QGraphicsView* main, QWidget* parent)
    : QGraphicsView(main->scene(), parent)
    , m_main(main)
{
    setObjectName(QStringLiteral("branchTreeOverview"));
    setAccessibleName(tr("Branch tree overview"));
    setToolTip(tr("Overview: click or drag to move the tree view"));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setInteractive(false); // nodes are not clicked here: a click only moves the main view
    setFocusPolicy(Qt::NoFocus);
    setFrameShape(QFrame::Box);
    setRenderHint(QPainter::Antialiasing, false);
    // The scene is drawn at a tiny scale: cache it so panning the main view does not repaint it.
    setCacheMode(QGraphicsView::CacheBackground);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
}

BranchTreeOverview::~BranchTreeOverview() = default;

void BranchTreeOverview::refresh()
{
    if (scene())
        fitInView(scene()->sceneRect(), Qt::IgnoreAspectRatio);
    viewport()->update();
}

QRectF BranchTreeOverview::visibleSceneRect() const
{
    return m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
}

void BranchTreeOverview::drawForeground(QPainter* painter, const QRectF&)
{
    QColor frame = palette().color(QPalette::Highlight);
    painter->setPen(QPen(frame, 0)); // cosmetic: one pixel whatever the scale
    frame.setAlpha(50);
    painter->setBrush(frame);
    painter->drawRect(visibleSceneRect());
}

void BranchTreeOverview::centreMainOn(const QPoint& viewPos)
{
    m_main->centerOn(mapToScene(viewPos));
    viewport()->update();
}

void BranchTreeOverview::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        centreMainOn(event->position().toPoint());
    event->accept();
}

void BranchTreeOverview::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        centreMainOn(event->position().toPoint());
    event->accept();
}

void BranchTreeOverview::wheelEvent(QWheelEvent* event)
{
    event->ignore(); // the overview always shows everything
}

void BranchTreeOverview::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    refresh();
}

} // namespace tb::ui
