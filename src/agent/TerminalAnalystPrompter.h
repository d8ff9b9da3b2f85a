// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "AnalystPrompter.h"

class QIODevice;

namespace tb::agent {

/// The CLI's analyst: prints the question to `output` and reads one line from `input` (stdin in
/// the CLI, a buffer in tests). An empty line declines; end of input is an error. The read blocks
/// the event loop until the line is in, which a terminal session can afford (open stdout with
/// QIODevice::Unbuffered so the question shows before the read). Both devices must
/// outlive the prompter, and the prompter every answer it handed out.
class TerminalAnalystPrompter final : public AnalystPrompter
{
public:
    TerminalAnalystPrompter(QIODevice& input, QIODevice& output)
        : m_input(input)
        , m_output(output)
    {}

    AnalystAnswer* ask(const AnalystQuestion& question, QObject* parent) override;

    /// The text printed before reading the answer.
    static QString questionText(const AnalystQuestion& question);

private:
    QIODevice& m_input;
    QIODevice& m_output;
};

} // namespace tb::agent
