// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchTreeOverview.h"

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QMouseEvent>
#include <QPainter>

namespace tb::ui {

BranchTreeOverview::BranchTreeOverview(QGraphicsView* main, QWidget* parent)
    : QWidget(parent)
    , m_main(main)
{
    setObjectName(QStringLiteral("branchTreeOverview"));
    setAccessibleName(tr("Branch tree overview"));
    setToolTip(tr("Overview: click or drag to move the tree view"));
    setCursor(Qt::PointingHandCursor);
}

BranchTreeOverview::~BranchTreeOverview() = default;

void BranchTreeOverview::refresh()
{
    QGraphicsScene* scene = m_main->scene();
    if (!scene || width() <= 2 || height() <= 2) {
        m_picture = QPixmap();
        update();
        return;
    }
    const qreal dpr = devicePixelRatioF();
    m_picture = QPixmap(QSizeF(size() * dpr).toSize());
    m_picture.setDevicePixelRatio(dpr);
    m_picture.fill(palette().color(QPalette::Base));
    QPainter p(&m_picture);
    scene->render(&p, QRectF(QPointF(0, 0), QSizeF(size())), scene->sceneRect(), Qt::IgnoreAspectRatio);
    update();
}

QRectF BranchTreeOverview::visibleSceneRect() const
{
    return m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
}

QRectF BranchTreeOverview::toWidget(const QRectF& sceneRect) const
{
    const QRectF all = m_main->scene() ? m_main->scene()->sceneRect() : QRectF();
    if (all.isEmpty())
        return {};
    const qreal sx = width() / all.width();
    const qreal sy = height() / all.height();
    return QRectF((sceneRect.left() - all.left()) * sx, (sceneRect.top() - all.top()) * sy, sceneRect.width() * sx,
                  sceneRect.height() * sy);
}

void BranchTreeOverview::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    if (!m_picture.isNull())
        p.drawPixmap(0, 0, m_picture);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    QColor frame = palette().color(QPalette::Highlight);
    p.setPen(QPen(frame, 1.5));
    frame.setAlpha(50);
    p.setBrush(frame);
    p.drawRect(toWidget(visibleSceneRect()).intersected(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5)));
}

void BranchTreeOverview::centreMainOn(const QPointF& widgetPos)
{
    const QRectF all = m_main->scene() ? m_main->scene()->sceneRect() : QRectF();
    if (all.isEmpty() || width() <= 0 || height() <= 0)
        return;
    m_main->centerOn(all.left() + widgetPos.x() * all.width() / width(), all.top() + widgetPos.y() * all.height() / height());
    update();
}

void BranchTreeOverview::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        centreMainOn(event->position());
    event->accept();
}

void BranchTreeOverview::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        centreMainOn(event->position());
    event->accept();
}

void BranchTreeOverview::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    refresh();
}

} // namespace tb::ui
