// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "ModelTypes.h"
#include "Result.h"
#include "SessionTypes.h"

#include <QList>
#include <QString>

namespace tb::core {

/// Asks a model to draft the finding an analyst carries from a what-if branch back to main, and
/// reads the draft out of the reply. The analyst edits the draft before anything is saved
/// (BranchMerge::carry), so this never writes; it only builds the request and parses the answer.
///
/// The model gets the branch as a readable transcript in one user message rather than as the raw
/// items: given the items it would carry on the conversation as the support agent instead of
/// describing it.
class FindingDraft final
{
public:
    struct Input
    {
        QString branchId;
        QList<StoredItem> branchItems; // the what-if branch, sequence order (branchItems())
        QList<StoredItem> mainItems;   // main, for what it did after the fork (may be empty)
        QString focus;                 // optional: what the analyst wants the finding to cover
    };

    struct Draft
    {
        QString text;
        bool truncated = false; // the model stopped at its output limit
    };

    /// Longest text of one item in the transcript, and of the whole transcript; the shared history
    /// before the fork is cut first (oldest items first), then each side keeps its newest items.
    static constexpr qsizetype kMaxItemChars = 1200;
    static constexpr qsizetype kMaxTranscriptChars = 24000;
    static constexpr qint64 kDefaultMaxOutputTokens = 400;

    static QString instructions();
    /// The text the model reads: shared history, the branch after the fork, main after the fork.
    static QString transcript(const Input& input);
    /// A request without tools; `settings.maxOutputTokens` defaults to kDefaultMaxOutputTokens.
    static ModelRequest request(const Input& input, ModelSettings settings);
    /// The draft from the reply's assistant message(s): trimmed, without code fences, quotes or a
    /// leading "Finding:" label. A reply with no text (or only a refusal) is an error.
    static Result<Draft> extract(const ModelReply& reply);

    /// One item as a transcript line ("Customer: …", "Agent: …", "Tool call name(args)", …), or an
    /// empty string for items the model does not need (reasoning).
    static QString describe(const StoredItem& item);
};

} // namespace tb::core
