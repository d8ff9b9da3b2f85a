// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "MergeCommand.h"

namespace tb::ui {

MergeCommand::MergeCommand(MergeFactory factory, QString path, core::MergeUndo undo, const QString& description, Changed changed)
    : QUndoCommand(description)
    , m_factory(std::move(factory))
    , m_path(std::move(path))
    , m_undo(std::move(undo))
    , m_changed(std::move(changed))
{
}

MergeCommand* MergeCommand::promoted(MergeFactory factory, QString path, const core::PromoteOutcome& outcome, Changed changed)
{
    auto* c = new MergeCommand(std::move(factory), std::move(path), outcome.undo,
                               QObject::tr("Promote %1 to main").arg(outcome.plan.branchId), std::move(changed));
    c->m_sessionId = outcome.plan.sessionId;
    c->m_branch = outcome.plan.branchId;
    c->m_oldMainName = outcome.plan.oldMainName;
    return c;
}

MergeCommand* MergeCommand::carried(MergeFactory factory, QString path, const core::CarryOutcome& outcome, QString text,
                                    Changed changed)
{
    auto* c = new MergeCommand(std::move(factory), std::move(path), outcome.undo,
                               QObject::tr("Carry finding of %1").arg(outcome.sourceBranch), std::move(changed));
    c->m_sessionId = outcome.sessionId;
    c->m_branch = outcome.sourceBranch;
    c->m_text = std::move(text);
    return c;
}

void MergeCommand::redo()
{
    if (m_done)
        return; // pushed after it ran: the first redo has nothing to do
    QString error;
    auto merge = m_factory(m_path, false);
    if (!merge) {
        error = merge.error().message;
    } else if (m_undo.kind == core::MergeUndo::Kind::Promote) {
        auto r = (*merge)->promote(m_sessionId, m_branch, m_oldMainName);
        if (r)
            m_undo = r->undo;
        else
            error = r.error().message;
    } else {
        auto r = (*merge)->carry(m_sessionId, m_branch, m_text);
        if (r)
            m_undo = r->undo;
        else
            error = r.error().message;
    }
    m_done = error.isEmpty();
    if (m_changed)
        m_changed(error);
}

void MergeCommand::undo()
{
    QString error;
    auto merge = m_factory(m_path, false);
    if (!merge)
        error = merge.error().message;
    else if (auto r = (*merge)->undo(m_undo); !r)
        error = r.error().message;
    m_done = !error.isEmpty(); // a refused undo leaves the operation in place
    if (m_changed)
        m_changed(error);
}

} // namespace tb::ui
