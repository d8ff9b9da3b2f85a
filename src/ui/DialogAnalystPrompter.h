// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "agent/AnalystPrompter.h"

class QWidget;

namespace tb::ui {

/// Answers "ask the analyst" tools with a dialog that shows the call's arguments and takes the
/// analyst's output. The dialog is not modal to the run: streamed text keeps painting meanwhile.
class DialogAnalystPrompter final : public agent::AnalystPrompter
{
public:
    explicit DialogAnalystPrompter(QWidget* parent) : m_parent(parent) {}
    agent::AnalystAnswer* ask(const agent::AnalystQuestion& question, QObject* parent) override;

private:
    QWidget* m_parent;
};

} // namespace tb::ui
