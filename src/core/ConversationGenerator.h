// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Json.h"
#include "SessionTypes.h"

#include <QList>
#include <QRandomGenerator>

namespace tb::core {

/// One generated exchange: the items a Runner run stores (user input, reasoning, tool calls and
/// outputs, the assistant's answer) and the run's usage.
struct GeneratedTurn
{
    QList<Json> items;
    RunUsage usage;
};

/// Deterministic, realistic customer-support conversations for the demo database, the benchmark
/// database and tests. Items have exactly the key order the SDK's Runner stores (spec §4.1), so
/// generated files look like production files. Same seed, same conversation.
class ConversationGenerator final
{
public:
    explicit ConversationGenerator(quint64 seed) : m_rng(seed) {}

    /// A conversation of `turns` exchanges about one support topic.
    QList<GeneratedTurn> conversation(int turns);
    /// One exchange; `historyTokens` is the prompt size before it (usage grows with history).
    GeneratedTurn turn(qint64 historyTokens);
    /// The customer name of the last conversation (for titles).
    [[nodiscard]] QString customer() const { return m_customer; }
    /// A short title for the last conversation.
    [[nodiscard]] QString title() const { return m_title; }

private:
    QString id(const char* prefix, int length);
    int pick(int n) { return int(m_rng.bounded(n)); }

    QRandomGenerator m_rng;
    QString m_customer;
    QString m_title;
    int m_topic = 0;
};

} // namespace tb::core
