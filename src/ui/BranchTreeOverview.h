// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QPixmap>
#include <QWidget>

class QGraphicsView;

namespace tb::ui {

/// A small picture of the whole branch tree with the part the main view shows framed. Clicking or
/// dragging in it moves the main view there. The scene is rendered once per refresh() into a
/// pixmap: panning the main view only moves the frame, so it stays cheap on 25,000-node trees.
class BranchTreeOverview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchTreeOverview)

public:
    /// `main` is the view this one steers.
    explicit BranchTreeOverview(QGraphicsView* main, QWidget* parent = nullptr);
    ~BranchTreeOverview() override;

    /// Renders the scene again (after the scene changed or this widget was resized).
    void refresh();
    /// The main view's visible part in scene coordinates (the frame drawn here).
    [[nodiscard]] QRectF visibleSceneRect() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void centreMainOn(const QPointF& widgetPos);
    [[nodiscard]] QRectF toWidget(const QRectF& sceneRect) const;

    QGraphicsView* m_main = nullptr;
    QPixmap m_picture;
};

} // namespace tb::ui
