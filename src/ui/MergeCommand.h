// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchMerge.h"

#include <QUndoCommand>

#include <functional>
#include <memory>

namespace tb::ui {

/// A promote or carry that already ran, as an undoable step. Undo restores the exact previous
/// state through core::BranchMerge::undo; redo runs the operation again (with the same old-main
/// name or text) and keeps its new undo value.
class MergeCommand final : public QUndoCommand
{
public:
    using MergeFactory = std::function<core::Result<std::unique_ptr<core::BranchMerge>>(const QString& path, bool readOnly)>;
    using Changed = std::function<void(const QString& error)>;

    static MergeCommand* promoted(MergeFactory factory, QString path, const core::PromoteOutcome& outcome, Changed changed);
    static MergeCommand* carried(MergeFactory factory, QString path, const core::CarryOutcome& outcome, QString text,
                                 Changed changed);

    void redo() override;
    void undo() override;

private:
    MergeCommand(MergeFactory factory, QString path, core::MergeUndo undo, const QString& description, Changed changed);

    MergeFactory m_factory;
    QString m_path;
    core::MergeUndo m_undo;
    Changed m_changed;
    bool m_done = true; // the operation ran before the command was pushed
    // What redo needs to run it again.
    QString m_sessionId;
    QString m_branch;
    QString m_oldMainName;
    QString m_text;
};

} // namespace tb::ui
