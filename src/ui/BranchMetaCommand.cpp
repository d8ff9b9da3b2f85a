// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "BranchMetaCommand.h"

namespace tb::ui {

BranchMetaCommand::BranchMetaCommand(core::SessionStore* store, QString sessionId, core::BranchMeta before,
                                     core::BranchMeta after, const QString& text,
                                     std::function<void(const QString& error)> changed)
    : QUndoCommand(text)
    , m_store(store)
    , m_sessionId(std::move(sessionId))
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_changed(std::move(changed))
{
}

void BranchMetaCommand::redo()
{
    apply(m_after);
}

void BranchMetaCommand::undo()
{
    apply(m_before);
}

void BranchMetaCommand::apply(const core::BranchMeta& meta)
{
    QString error;
    if (auto r = m_store->setBranchMeta(m_sessionId, meta); !r)
        error = r.error().message;
    if (m_changed)
        m_changed(error);
}

} // namespace tb::ui
