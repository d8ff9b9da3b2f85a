// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "TextDiff.h"

#include <QHash>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

namespace tb::core {

namespace {

enum class TokenClass {
    Word,
    Space,
    Single
};

char32_t codePointAt(QStringView text, qsizetype i)
{
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
        return QChar::surrogateToUcs4(c, text.at(i + 1));
    return c.unicode();
}

TokenClass classOf(char32_t cp)
{
    if (QChar::isSpace(cp))
        return TokenClass::Space;
    // Scripts written without spaces between words: a word token would be a whole sentence.
    switch (QChar::script(cp)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Bopomofo:
    case QChar::Script_Yi:
        return TokenClass::Single;
    default:
        break;
    }
    if (QChar::isLetterOrNumber(cp) || QChar::isMark(cp) || cp == U'_')
        return TokenClass::Word;
    return TokenClass::Single;
}

bool isRegionalIndicator(char32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

// Qt 6.4's grapheme finder breaks between the two regional indicators of a flag unless the flag
// starts the text; these count the indicators before a position to keep pairs together.
qsizetype regionalRunBefore(QStringView text, qsizetype pos)
{
    qsizetype run = 0;
    while (pos >= 2 && isRegionalIndicator(codePointAt(text, pos - 2))) {
        ++run;
        pos -= 2;
    }
    return run;
}

// True when a whole-text tokenisation has a token boundary at `pos`: a grapheme boundary that
// does not sit inside a run of word characters or of whitespace. Looks at a small window only,
// so trimming a 10 MB common prefix does not segment 10 MB.
bool isTokenBoundary(QStringView text, qsizetype pos)
{
    if (pos <= 0 || pos >= text.size())
        return true;
    constexpr qsizetype kWindow = 32;
    const qsizetype from = std::max<qsizetype>(0, pos - kWindow);
    const qsizetype to = std::min(text.size(), pos + kWindow);
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.sliced(from, to - from));
    finder.setPosition(pos - from);
    if (!finder.isAtBoundary())
        return false;
    if (isRegionalIndicator(codePointAt(text, pos)) && regionalRunBefore(text, pos) % 2 == 1)
        return false;
    const qsizetype previous = finder.toPreviousBoundary();
    const TokenClass before = classOf(codePointAt(text, from + std::max<qsizetype>(previous, 0)));
    const TokenClass after = classOf(codePointAt(text, pos));
    return before != after || before == TokenClass::Single;
}

// Lines with their line feed, for the coarse fallback.
QList<QStringView> splitLines(QStringView text)
{
    QList<QStringView> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype nl = text.indexOf(u'\n', start);
        const qsizetype end = nl < 0 ? text.size() : nl + 1;
        lines << text.sliced(start, end - start);
        start = end;
    }
    return lines;
}

// Alternating equal runs and changes; a change holds its removed and inserted text.
struct Group
{
    bool change = false;
    QString equal;
    QString removed;
    QString inserted;
};

class Builder
{
public:
    void equal(QStringView text)
    {
        if (text.isEmpty())
            return;
        if (m_groups.isEmpty() || m_groups.last().change)
            m_groups.push_back(Group{});
        m_groups.last().equal += text;
    }
    void removed(QStringView text) { changeGroup().removed += text; }
    void inserted(QStringView text) { changeGroup().inserted += text; }

    // Semantic cleanup (word diffs): an equality no longer than the changes on both sides of it is noise
    // (shared spaces and short words between two rewritten sentences); fold it into one change.
    QList<TextDiff::Segment> finish(bool cleanup)
    {
        QList<Group> out;
        for (Group& g : m_groups) {
            out.push_back(std::move(g));
            while (cleanup && out.size() >= 3 && out.last().change && !out.at(out.size() - 2).change
                   && out.at(out.size() - 3).change) {
                Group& a = out[out.size() - 3];
                const Group& e = out.at(out.size() - 2);
                const Group& c = out.last();
                const qsizetype len = e.equal.size();
                if (len > std::max(a.removed.size(), a.inserted.size())
                    || len > std::max(c.removed.size(), c.inserted.size()))
                    break;
                a.removed += e.equal + c.removed;
                a.inserted += e.equal + c.inserted;
                out.resize(out.size() - 2);
            }
        }
        QList<TextDiff::Segment> segments;
        for (Group& g : out) {
            if (!g.change) {
                segments.push_back({TextDiff::Op::Equal, std::move(g.equal)});
                continue;
            }
            if (!g.removed.isEmpty())
                segments.push_back({TextDiff::Op::Removed, std::move(g.removed)});
            if (!g.inserted.isEmpty())
                segments.push_back({TextDiff::Op::Inserted, std::move(g.inserted)});
        }
        return segments;
    }

private:
    Group& changeGroup()
    {
        if (m_groups.isEmpty() || !m_groups.last().change)
            m_groups.push_back(Group{true, {}, {}, {}});
        return m_groups.last();
    }

    QList<Group> m_groups;
};

struct Edit
{
    TextDiff::Op op;
    qsizetype a; // index into the left tokens (Equal, Removed)
    qsizetype b; // index into the right tokens (Equal, Inserted)
};

// Myers' greedy O(ND) shortest edit script, giving up (nullopt) past `maxEdits`. The V array of
// each step is kept for the backtrack, d + 1 entries for step d, so memory is O(maxEdits²).
std::optional<std::vector<Edit>> shortestEdit(const std::vector<int>& a, const std::vector<int>& b, qsizetype maxEdits)
{
    const auto n = qsizetype(a.size());
    const auto m = qsizetype(b.size());
    const qsizetype limit = std::min(n + m, maxEdits);
    const qsizetype offset = limit + 1;
    std::vector<qsizetype> v(size_t(2 * offset + 1), 0);
    std::vector<std::vector<int>> trace;
    const qsizetype endK = n - m;
    qsizetype found = -1;
    for (qsizetype d = 0; d <= limit && found < 0; ++d) {
        for (qsizetype k = -d; k <= d; k += 2) {
            qsizetype x = (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                              ? v[size_t(offset + k + 1)]
                              : v[size_t(offset + k - 1)] + 1;
            qsizetype y = x - k;
            while (x < n && y < m && a[size_t(x)] == b[size_t(y)]) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
        }
        std::vector<int> row(size_t(d + 1));
        for (qsizetype k = -d; k <= d; k += 2)
            row[size_t((k + d) / 2)] = int(v[size_t(offset + k)]);
        trace.push_back(std::move(row));
        if (std::abs(endK) <= d && ((endK + d) & 1) == 0 && v[size_t(offset + endK)] >= n)
            found = d;
    }
    if (found < 0)
        return std::nullopt;

    std::vector<Edit> edits;
    qsizetype x = n;
    qsizetype y = m;
    for (qsizetype d = found; d > 0; --d) {
        const std::vector<int>& prev = trace[size_t(d - 1)];
        const auto prevAt = [&prev, d](qsizetype k) { return qsizetype(prev[size_t((k + d - 1) / 2)]); };
        const qsizetype k = x - y;
        const bool down = k == -d || (k != d && prevAt(k - 1) < prevAt(k + 1));
        const qsizetype prevK = down ? k + 1 : k - 1;
        const qsizetype prevX = prevAt(prevK);
        const qsizetype prevY = prevX - prevK;
        const qsizetype snakeStart = down ? prevX : prevX + 1;
        while (x > snakeStart) {
            --x;
            --y;
            edits.push_back({TextDiff::Op::Equal, x, y});
        }
        if (down)
            edits.push_back({TextDiff::Op::Inserted, -1, prevY});
        else
            edits.push_back({TextDiff::Op::Removed, prevX, -1});
        x = prevX;
        y = prevY;
    }
    while (x > 0) {
        --x;
        --y;
        edits.push_back({TextDiff::Op::Equal, x, y});
    }
    std::reverse(edits.begin(), edits.end());
    return edits;
}

// Diffs two token lists into the builder; false (builder untouched) when the edit bound is hit.
bool diffTokens(const QList<QStringView>& left, const QList<QStringView>& right, qsizetype maxEdits, Builder& out)
{
    QHash<QStringView, int> ids;
    const auto idsOf = [&ids](const QList<QStringView>& tokens) {
        std::vector<int> v;
        v.reserve(size_t(tokens.size()));
        for (QStringView t : tokens) {
            auto it = ids.constFind(t);
            if (it == ids.cend())
                it = ids.insert(t, int(ids.size()));
            v.push_back(*it);
        }
        return v;
    };
    const std::vector<int> a = idsOf(left);
    const std::vector<int> b = idsOf(right);
    const auto edits = shortestEdit(a, b, maxEdits);
    if (!edits)
        return false;
    for (const Edit& e : *edits) {
        switch (e.op) {
        case TextDiff::Op::Equal:
            out.equal(left.at(e.a));
            break;
        case TextDiff::Op::Removed:
            out.removed(left.at(e.a));
            break;
        case TextDiff::Op::Inserted:
            out.inserted(right.at(e.b));
            break;
        }
    }
    return true;
}

} // namespace

QList<QStringView> TextDiff::tokenize(QStringView text)
{
    QList<QStringView> tokens;
    if (text.isEmpty())
        return tokens;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype tokenStart = 0;
    qsizetype grapheme = 0;
    TokenClass tokenClass = classOf(codePointAt(text, 0));
    qsizetype regionalRun = 0; // lone regional indicators in a row (see regionalRunBefore)
    for (qsizetype next = finder.toNextBoundary(); next > 0; next = finder.toNextBoundary()) {
        const char32_t cp = codePointAt(text, grapheme);
        const TokenClass c = classOf(cp);
        const bool loneRegional = next - grapheme == 2 && isRegionalIndicator(cp);
        regionalRun = loneRegional ? regionalRun + 1 : 0;
        const bool completesFlag = loneRegional && regionalRun % 2 == 0;
        if (grapheme > 0 && !completesFlag && (c != tokenClass || c == TokenClass::Single)) {
            tokens << text.sliced(tokenStart, grapheme - tokenStart);
            tokenStart = grapheme;
        }
        tokenClass = c;
        grapheme = next;
    }
    tokens << text.sliced(tokenStart);
    return tokens;
}

TextDiff TextDiff::compute(QStringView left, QStringView right, const Limits& limits)
{
    // The common prefix and suffix cost a linear scan; only the middle goes to Myers. Both cuts are
    // moved back to a token boundary (bounded, a 10 MB word is cut anyway) so tokens stay whole.
    constexpr qsizetype kMaxBackOff = 256;
    const qsizetype shortest = std::min(left.size(), right.size());
    qsizetype prefix = 0;
    while (prefix < shortest && left.at(prefix) == right.at(prefix))
        ++prefix;
    for (qsizetype step = 0; prefix > 0 && step < kMaxBackOff; ++step, --prefix) {
        if (isTokenBoundary(left, prefix) && isTokenBoundary(right, prefix))
            break;
    }
    const auto splitsPair = [](QStringView text, qsizetype pos) {
        return pos > 0 && pos < text.size() && text.at(pos).isLowSurrogate();
    };
    if (splitsPair(left, prefix) || splitsPair(right, prefix))
        --prefix;
    qsizetype suffix = 0;
    while (suffix < shortest - prefix && left.at(left.size() - 1 - suffix) == right.at(right.size() - 1 - suffix))
        ++suffix;
    for (qsizetype step = 0; suffix > 0 && step < kMaxBackOff; ++step, --suffix) {
        if (isTokenBoundary(left, left.size() - suffix) && isTokenBoundary(right, right.size() - suffix))
            break;
    }
    if (suffix > 0 && (splitsPair(left, left.size() - suffix) || splitsPair(right, right.size() - suffix)))
        --suffix;

    const QStringView midLeft = left.sliced(prefix, left.size() - prefix - suffix);
    const QStringView midRight = right.sliced(prefix, right.size() - prefix - suffix);
    TextDiff result;
    Builder out;
    out.equal(left.first(prefix));
    if (midLeft.isEmpty() || midRight.isEmpty()) {
        out.removed(midLeft);
        out.inserted(midRight);
    } else {
        bool done = false;
        if (midLeft.size() <= limits.maxChars && midRight.size() <= limits.maxChars) {
            const QList<QStringView> a = tokenize(midLeft);
            const QList<QStringView> b = tokenize(midRight);
            done =
                a.size() <= limits.maxTokens && b.size() <= limits.maxTokens && diffTokens(a, b, limits.maxEdits, out);
        }
        if (!done) {
            const qsizetype leftLines = midLeft.count(u'\n');
            const qsizetype rightLines = midRight.count(u'\n');
            if (leftLines + rightLines > 0 && leftLines < limits.maxTokens && rightLines < limits.maxTokens) {
                result.m_granularity = Granularity::Line;
                done = diffTokens(splitLines(midLeft), splitLines(midRight), limits.maxEdits, out);
            }
        }
        if (!done) {
            result.m_granularity = Granularity::Whole;
            out.removed(midLeft);
            out.inserted(midRight);
        }
    }
    out.equal(left.last(suffix));
    // Whole lines are never confetti; folding equal lines would only hide what stayed the same.
    result.m_segments = out.finish(result.m_granularity == Granularity::Word);
    return result;
}

bool TextDiff::isEqual() const
{
    return std::all_of(m_segments.cbegin(), m_segments.cend(), [](const Segment& s) { return s.op == Op::Equal; });
}

QString TextDiff::leftText() const
{
    QString text;
    for (const Segment& s : m_segments) {
        if (s.op != Op::Inserted)
            text += s.text;
    }
    return text;
}

QString TextDiff::rightText() const
{
    QString text;
    for (const Segment& s : m_segments) {
        if (s.op != Op::Removed)
            text += s.text;
    }
    return text;
}

qsizetype TextDiff::removedLength() const
{
    qsizetype n = 0;
    for (const Segment& s : m_segments)
        n += s.op == Op::Removed ? s.text.size() : 0;
    return n;
}

qsizetype TextDiff::insertedLength() const
{
    qsizetype n = 0;
    for (const Segment& s : m_segments)
        n += s.op == Op::Inserted ? s.text.size() : 0;
    return n;
}

} // namespace tb::core
