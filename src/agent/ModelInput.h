// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Json.h"

#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace tb::agent {

/// The SDK Runner's item rules (spec sdk-sessions.md §8; agents/run_internal/items.py and
/// session_persistence.py at the pinned commit): what goes to the model and what goes to the
/// session. Pure functions over items, so the rules are tested without a model or a database.
class ModelInput final
{
public:
    using IndexSet = QSet<qsizetype>;

    /// `{"content": text, "role": "user"}`: what a string input becomes (content first).
    static core::Json userMessage(const QString& text);

    /// normalize_input_items_for_api: drops the SDK-internal keys `_agents_tool_description` and
    /// `_agents_tool_title`.
    static QList<core::Json> normalize(const QList<core::Json>& items);

    /// drop_orphan_function_calls: removes tool calls (function_call, custom_tool_call,
    /// computer_call, shell/apply_patch/local_shell calls, tool_search_call, program) that have no
    /// output, with the reasoning items right before them. Only indexes in `pruning` are
    /// candidates when it is given; outputs in `outputPruning` whose call is gone are dropped too.
    static QList<core::Json> dropOrphanCalls(const QList<core::Json>& items,
                                             const std::optional<IndexSet>& pruning = {},
                                             const std::optional<IndexSet>& outputPruning = {});

    /// The identity deduplication uses (`_dedupe_key`): call_id for call/output types, else id,
    /// else call_id, else approval_request_id; none for items with a role or of type message.
    static std::optional<QString> dedupeKey(const core::Json& item);
    /// deduplicate_input_items_preferring_latest: one item per key, latest value; calls and
    /// reasoning keep their first position, other items their last.
    static QList<core::Json> deduplicatePreferringLatest(const QList<core::Json>& items);

    /// A run item as input (run_item_to_input_item): a null `status` is dropped.
    static core::Json withoutNullStatus(core::Json item);

    /// prepare_input_with_session without a callback: session history + new input, history calls
    /// without outputs dropped; with a limit in effect, history outputs whose call fell out of the
    /// window too; then normalised and de-duplicated.
    static QList<core::Json> fromSession(const QList<core::Json>& history, const QList<core::Json>& newInput,
                                         bool limitInEffect);

    /// What save_result_to_session stores for the new input (one add_items call).
    static QList<core::Json> inputToPersist(const QList<core::Json>& newInput);
    /// What it stores for one model turn: the turn's items de-duplicated.
    static QList<core::Json> turnToPersist(const QList<core::Json>& turnItems);

    /// The input of a later model call of the same run: the prepared input plus the items the
    /// run generated so far (orphan calls among them dropped).
    static QList<core::Json> forTurn(const QList<core::Json>& prepared, const QList<core::Json>& generated);
};

} // namespace tb::agent
