// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace tb::core {

/// A word-level difference between two texts, for showing two branches' answers side by side.
///
/// Tokens are runs of word characters, runs of whitespace, and single other graphemes (punctuation,
/// emoji, and each CJK ideograph or kana, since those scripts write words without spaces). A token
/// never splits a grapheme, so a surrogate pair or an emoji ZWJ sequence stays whole. The diff is
/// Myers' O(ND) algorithm; the work is bounded (`Limits`): a text too long, or two texts too
/// different, fall back to a line diff and then to marking the differing middle as changed, so a
/// 10 MB message costs a linear scan, not minutes. Equalities shorter than the changes around
/// them are folded into the change (diff-match-patch's semantic cleanup), which keeps two unrelated
/// answers from showing as confetti of shared spaces and "the".
class TextDiff final
{
public:
    enum class Op {
        Equal,
        Removed,
        Inserted
    };
    /// How fine the result is: Whole means the differing middle is one removed and one inserted run.
    enum class Granularity {
        Word,
        Line,
        Whole
    };

    struct Segment
    {
        Op op = Op::Equal;
        QString text;
        friend bool operator==(const Segment&, const Segment&) = default;
    };

    struct Limits
    {
        qsizetype maxChars = 400'000; // per side, after the common prefix and suffix are removed
        qsizetype maxTokens = 20'000; // per side
        qsizetype maxEdits = 2'000;   // Myers' D: memory grows with its square
    };

    TextDiff() = default;

    static TextDiff compute(QStringView left, QStringView right, const Limits& limits);
    static TextDiff compute(QStringView left, QStringView right) { return compute(left, right, Limits{}); }

    /// Equal, Removed and Inserted runs in reading order; within a change, Removed comes first.
    /// Adjacent segments never have the same op and no segment is empty.
    [[nodiscard]] const QList<Segment>& segments() const { return m_segments; }
    [[nodiscard]] Granularity granularity() const { return m_granularity; }
    [[nodiscard]] bool isEqual() const;
    /// Equal + Removed text: the left input again. Equal + Inserted: the right one.
    [[nodiscard]] QString leftText() const;
    [[nodiscard]] QString rightText() const;
    /// Characters removed and inserted (for summaries).
    [[nodiscard]] qsizetype removedLength() const;
    [[nodiscard]] qsizetype insertedLength() const;

    /// The tokens the word diff compares (views into `text`).
    static QList<QStringView> tokenize(QStringView text);

private:
    QList<Segment> m_segments;
    Granularity m_granularity = Granularity::Word;
};

} // namespace tb::core
