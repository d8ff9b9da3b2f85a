// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchLineage.h"
#include "core/SessionTypes.h"

#include <QGraphicsView>
#include <QHash>
#include <QList>

class QGraphicsItem;
class QGraphicsRectItem;

namespace tb::ui {

class BranchTreeOverview;

/// The branches of one session as lanes of turn nodes (core::BranchLineage layout): every turn is
/// drawn once, on the lane of the branch that owns it, with an edge from the fork point on the
/// parent lane to the child's first own turn. Nodes are columns by turn number, so a fork lines up
/// with the turn it re-asks. Selecting a node (mouse or arrow keys) emits turnActivated().
class BranchTreeView final : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchTreeView)

public:
    explicit BranchTreeView(QWidget* parent = nullptr);
    ~BranchTreeView() override;

    /// Replaces the scene. `turnsByBranch` gives the questions (get_conversation_turns per branch),
    /// `tokensByBranchTurn` the total tokens per branch and turn; both may lack entries. `meta`
    /// gives display names, the preferred mark and outcome labels of the lanes.
    void setTree(const QList<core::BranchNode>& nodes,
                 const QHash<QString, QList<core::ConversationTurn>>& turnsByBranch,
                 const QHash<QString, QHash<qint64, qint64>>& tokensByBranchTurn, const QString& currentBranch,
                 const QList<core::BranchMeta>& meta = {});
    void clear();

    /// A finding carried from a branch into main (core::BranchMerge::carriedFindings).
    struct CarriedLink
    {
        QString sourceBranch;
        qint64 mainTurn = 0; // the main turn the finding item closes
        QString text;
    };
    /// Draws a dotted arrow from each source branch to the main turn holding its finding (after
    /// setTree; links to branches or turns not drawn are skipped). Returns how many were drawn.
    int setCarriedLinks(const QList<CarriedLink>& links);

    /// Selects a node (and emits turnActivated); false when the branch does not own that turn.
    bool selectTurn(const QString& branchId, qint64 turn);
    [[nodiscard]] QString selectedBranch() const;
    [[nodiscard]] std::optional<qint64> selectedTurn() const;

    [[nodiscard]] int nodeCount() const { return int(m_nodes.size()); }
    /// The scene item of a turn node, or nullptr.
    [[nodiscard]] QGraphicsItem* nodeItem(const QString& branchId, qint64 turn) const;
    [[nodiscard]] QString currentBranch() const { return m_currentBranch; }
    [[nodiscard]] bool isLaneHighlighted(const QString& branchId) const;
    /// The text drawn as a lane's label (display name, preferred star, outcome).
    [[nodiscard]] QString laneLabel(const QString& branchId) const;
    /// Distinct branches of the selected nodes (Ctrl+click selects a second one for comparing).
    [[nodiscard]] QStringList selectedBranches() const;
    /// The overview in the corner: the whole tree small, the visible part framed; shown when the
    /// tree does not fit.
    [[nodiscard]] BranchTreeOverview* overview() const { return m_overview; }

    void zoomIn();
    void zoomOut();
    void fitAll();

Q_SIGNALS:
    void turnActivated(const QString& branchId, qint64 turn);
    /// Right click (or the menu key) on a turn node (`turn` >= 1) or on a lane (`turn` = 0).
    void contextMenuRequested(const QString& branchId, qint64 turn, const QPoint& globalPos);
    /// Delete pressed with a node of that branch selected.
    void deleteRequested(const QString& branchId);
    /// F2 pressed with a node of that branch selected.
    void renameRequested(const QString& branchId);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Node
    {
        QString branchId;
        qint64 turn = 0;
        int lane = 0;
        QGraphicsItem* item = nullptr;
    };

    void zoomBy(double factor);
    void onSelectionChanged();
    void moveWithinLane(int step);
    void moveAcrossLanes(int step);
    void selectNode(int index);
    [[nodiscard]] int selectedIndex() const;
    [[nodiscard]] QString laneAt(const QPointF& scenePos) const;
    void updateOverview();

    QGraphicsScene* m_scene = nullptr;
    QList<Node> m_nodes;
    QList<QList<int>> m_lanes;                  // node indices per lane, by turn
    QHash<QString, QHash<qint64, int>> m_index; // branch → turn → node index
    QHash<QString, QGraphicsRectItem*> m_bands;
    QHash<QString, QString> m_laneLabels;
    BranchTreeOverview* m_overview = nullptr;
    QString m_currentBranch;
    int m_selected = -1;
    bool m_settingSelection = false;
};

} // namespace tb::ui
