// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"

#include <QUndoCommand>

#include <functional>

namespace tb::ui {

/// One change of a branch's workbench metadata (display name, preferred mark, note, outcome) as an
/// undoable step. Only the side table changes: the SDK's branch id and rows stay as they are.
class BranchMetaCommand final : public QUndoCommand
{
public:
    /// `store` must outlive the command or `invalidate` must be called first (the window clears
    /// its undo stack whenever it shows another file). `changed` runs after every redo/undo so the
    /// views can redraw; it gets an error message when the write failed.
    BranchMetaCommand(core::SessionStore* store, QString sessionId, core::BranchMeta before, core::BranchMeta after,
                      const QString& text, std::function<void(const QString& error)> changed);

    void redo() override;
    void undo() override;

private:
    void apply(const core::BranchMeta& meta);

    core::SessionStore* m_store;
    QString m_sessionId;
    core::BranchMeta m_before;
    core::BranchMeta m_after;
    std::function<void(const QString&)> m_changed;
};

} // namespace tb::ui
