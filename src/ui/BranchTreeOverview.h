// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QGraphicsView>

namespace tb::ui {

/// A small second view of the branch tree's scene: the whole session at a glance with the part
/// the main view shows framed. Clicking or dragging in it moves the main view there.
class BranchTreeOverview final : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchTreeOverview)

public:
    /// `main` is the view this one steers; both show the same scene.
    explicit BranchTreeOverview(QGraphicsView* main, QWidget* parent = nullptr);
    ~BranchTreeOverview() override;

    /// Fits the scene again and redraws the frame (after the scene or the main view changed).
    void refresh();
    /// The main view's visible part in scene coordinates (the frame drawn here).
    [[nodiscard]] QRectF visibleSceneRect() const;

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void centreMainOn(const QPoint& viewPos);

    QGraphicsView* m_main = nullptr;
};

} // namespace tb::ui
