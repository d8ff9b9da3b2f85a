// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// core::TextDiff: word tokens (whitespace, punctuation, CJK, emoji), the segments of small edits,
// reconstruction of both inputs, empty and identical sides, and the bounds that keep huge or very
// different texts from stalling (line fallback, whole-middle fallback).
#include "core/TextDiff.h"

#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <iostream>
#include <ostream>

using namespace Qt::StringLiterals;
using tb::core::TextDiff;
using Op = TextDiff::Op;
using Segment = TextDiff::Segment;

namespace tb::core {
// gtest printers: readable segment lists in failures.
void PrintTo(const TextDiff::Segment& s, std::ostream* os)
{
    const char* op = s.op == TextDiff::Op::Equal ? "=" : s.op == TextDiff::Op::Removed ? "-" : "+";
    *os << op << '"' << s.text.toStdString() << '"';
}
} // namespace tb::core

namespace {

QStringList texts(const QList<QStringView>& views)
{
    QStringList out;
    for (QStringView v : views)
        out << v.toString();
    return out;
}

// Every diff must give both inputs back and never hold empty or repeated-op segments.
void expectConsistent(const TextDiff& d, const QString& left, const QString& right)
{
    EXPECT_EQ(d.leftText(), left);
    EXPECT_EQ(d.rightText(), right);
    for (qsizetype i = 0; i < d.segments().size(); ++i) {
        EXPECT_FALSE(d.segments().at(i).text.isEmpty()) << i;
        if (i > 0) {
            EXPECT_NE(d.segments().at(i).op, d.segments().at(i - 1).op) << i;
        }
    }
}

TEST(TextDiff, TokenizesWordsSpacesAndPunctuation)
{
    EXPECT_EQ(texts(TextDiff::tokenize(u"Order ORD-123 shipped,  on Dec_15!"_s)),
              (QStringList{u"Order"_s, u" "_s, u"ORD"_s, u"-"_s, u"123"_s, u" "_s, u"shipped"_s, u","_s, u"  "_s,
                           u"on"_s, u" "_s, u"Dec_15"_s, u"!"_s}));
    EXPECT_TRUE(TextDiff::tokenize(QString()).isEmpty());
    EXPECT_EQ(texts(TextDiff::tokenize(u"a\n\tb"_s)), (QStringList{u"a"_s, u"\n\t"_s, u"b"_s}));
}

TEST(TextDiff, TokenizesCjkPerCharacterAndKeepsGraphemesWhole)
{
    // Ideographs and kana are one token each (no spaces between words in those scripts);
    // Hangul, written with spaces, forms words.
    EXPECT_EQ(texts(TextDiff::tokenize(u"注文は発送済み"_s)),
              (QStringList{u"注"_s, u"文"_s, u"は"_s, u"発"_s, u"送"_s, u"済"_s, u"み"_s}));
    EXPECT_EQ(texts(TextDiff::tokenize(u"주문 확인"_s)), (QStringList{u"주문"_s, u" "_s, u"확인"_s}));
    // A surrogate pair, an emoji with a skin tone, a ZWJ family and a flag each stay one token.
    const QString family = u"\U0001F468\u200D\U0001F469\u200D\U0001F467"_s;
    const QString text = u"ok\U0001F600\U0001F44D\U0001F3FD"_s + family + u"\U0001F1E9\U0001F1EA"_s;
    EXPECT_EQ(texts(TextDiff::tokenize(text)),
              (QStringList{u"ok"_s, u"\U0001F600"_s, u"\U0001F44D\U0001F3FD"_s, family, u"\U0001F1E9\U0001F1EA"_s}));
    // A combining accent belongs to its word.
    EXPECT_EQ(texts(TextDiff::tokenize(u"cafe\u0301 ok"_s)), (QStringList{u"cafe\u0301"_s, u" "_s, u"ok"_s}));
}

TEST(TextDiff, IdenticalAndEmptyTexts)
{
    const TextDiff same = TextDiff::compute(u"Hello world"_s, u"Hello world"_s);
    EXPECT_TRUE(same.isEqual());
    EXPECT_EQ(same.segments(), (QList<Segment>{{Op::Equal, u"Hello world"_s}}));

    const TextDiff bothEmpty = TextDiff::compute(QString(), QString());
    EXPECT_TRUE(bothEmpty.isEqual());
    EXPECT_TRUE(bothEmpty.segments().isEmpty());

    const TextDiff added = TextDiff::compute(QString(), u"new answer"_s);
    EXPECT_EQ(added.segments(), (QList<Segment>{{Op::Inserted, u"new answer"_s}}));
    EXPECT_FALSE(added.isEqual());
    EXPECT_EQ(added.insertedLength(), 10);
    EXPECT_EQ(added.removedLength(), 0);

    const TextDiff removed = TextDiff::compute(u"old answer"_s, QString());
    EXPECT_EQ(removed.segments(), (QList<Segment>{{Op::Removed, u"old answer"_s}}));
}

TEST(TextDiff, ChangedWordsAreWholeTokens)
{
    const QString l = u"Order shipped on Dec 15, arriving Dec 20."_s;
    const QString r = u"Order delayed on Dec 15, arriving Dec 22."_s;
    const TextDiff d = TextDiff::compute(l, r);
    EXPECT_EQ(d.segments(), (QList<Segment>{{Op::Equal, u"Order "_s},
                                            {Op::Removed, u"shipped"_s},
                                            {Op::Inserted, u"delayed"_s},
                                            {Op::Equal, u" on Dec 15, arriving Dec "_s},
                                            {Op::Removed, u"20"_s},
                                            {Op::Inserted, u"22"_s},
                                            {Op::Equal, u"."_s}}));
    EXPECT_EQ(d.granularity(), TextDiff::Granularity::Word);
    expectConsistent(d, l, r);

    // A common prefix that ends inside a word is moved back: "ship" is not shared with "shop".
    const TextDiff w = TextDiff::compute(u"we ship today"_s, u"we shop today"_s);
    EXPECT_EQ(
        w.segments(),
        (QList<Segment>{
            {Op::Equal, u"we "_s}, {Op::Removed, u"ship"_s}, {Op::Inserted, u"shop"_s}, {Op::Equal, u" today"_s}}));
}

TEST(TextDiff, InsertionsAndDeletionsInTheMiddle)
{
    const QString l = u"Your refund is on its way."_s;
    const QString r = u"Your full refund of $20 is on its way."_s;
    const TextDiff d = TextDiff::compute(l, r);
    // Myers may place an inserted space on either side of "refund"; the inserted words are fixed.
    expectConsistent(d, l, r);
    EXPECT_EQ(d.removedLength(), 0);
    EXPECT_EQ(d.insertedLength(), 12);
    QString inserted;
    for (const Segment& s : d.segments())
        inserted += s.op == Op::Inserted ? s.text.trimmed() : QString();
    EXPECT_EQ(inserted, u"fullof $20"_s);
    const TextDiff back = TextDiff::compute(r, l);
    expectConsistent(back, r, l);
    EXPECT_EQ(back.removedLength(), d.insertedLength());
}

TEST(TextDiff, UnrelatedSentencesAreOneChangeNotConfetti)
{
    // Without the semantic cleanup the shared spaces would split this into seven small changes.
    const QString l = u"The parcel left our warehouse yesterday."_s;
    const QString r = u"I could not find an order with that number."_s;
    const TextDiff d = TextDiff::compute(l, r);
    EXPECT_EQ(d.segments(), (QList<Segment>{{Op::Removed, u"The parcel left our warehouse yesterday"_s},
                                            {Op::Inserted, u"I could not find an order with that number"_s},
                                            {Op::Equal, u"."_s}}));
    expectConsistent(d, l, r);
}

TEST(TextDiff, UnicodeChangesStayWhole)
{
    // CJK: one changed ideograph is one segment.
    const TextDiff cjk = TextDiff::compute(u"注文は発送済みです"_s, u"注文は配送済みです"_s);
    EXPECT_EQ(
        cjk.segments(),
        (QList<Segment>{
            {Op::Equal, u"注文は"_s}, {Op::Removed, u"発"_s}, {Op::Inserted, u"配"_s}, {Op::Equal, u"送済みです"_s}}));
    // Two emoji sharing their high surrogate: the pair is never split.
    const QString l = u"Thanks \U0001F600!"_s;
    const QString r = u"Thanks \U0001F601!"_s;
    const TextDiff emoji = TextDiff::compute(l, r);
    EXPECT_EQ(emoji.segments(), (QList<Segment>{{Op::Equal, u"Thanks "_s},
                                                {Op::Removed, u"\U0001F600"_s},
                                                {Op::Inserted, u"\U0001F601"_s},
                                                {Op::Equal, u"!"_s}}));
    // A skin tone added to an emoji changes the whole grapheme, not half of it.
    const TextDiff tone = TextDiff::compute(u"ok \U0001F44D"_s, u"ok \U0001F44D\U0001F3FD"_s);
    EXPECT_EQ(tone.segments(),
              (QList<Segment>{
                  {Op::Equal, u"ok "_s}, {Op::Removed, u"\U0001F44D"_s}, {Op::Inserted, u"\U0001F44D\U0001F3FD"_s}}));
    // Flags share their first regional indicator, at the start of a text and after other text.
    const TextDiff inText = TextDiff::compute(u"from \U0001F1E9\U0001F1EA!"_s, u"from \U0001F1E9\U0001F1F0!"_s);
    EXPECT_EQ(inText.segments(), (QList<Segment>{{Op::Equal, u"from "_s},
                                                 {Op::Removed, u"\U0001F1E9\U0001F1EA"_s},
                                                 {Op::Inserted, u"\U0001F1E9\U0001F1F0"_s},
                                                 {Op::Equal, u"!"_s}}));
    const TextDiff flags = TextDiff::compute(u"\U0001F1E9\U0001F1EA"_s, u"\U0001F1E9\U0001F1F0"_s);
    EXPECT_EQ(flags.segments(),
              (QList<Segment>{{Op::Removed, u"\U0001F1E9\U0001F1EA"_s}, {Op::Inserted, u"\U0001F1E9\U0001F1F0"_s}}));
    for (const TextDiff* d : {&cjk, &emoji, &tone, &inText, &flags}) {
        for (const Segment& s : d->segments()) {
            EXPECT_FALSE(s.text.front().isLowSurrogate());
            EXPECT_FALSE(s.text.back().isHighSurrogate());
        }
    }
}

TEST(TextDiff, TooManyEditsFallBackToLines)
{
    // 300 lines, every other one rewritten word by word: the word diff needs far more edits than
    // allowed, the line diff does not.
    QString l;
    QString r;
    for (int i = 0; i < 300; ++i) {
        l += u"line %1 alpha beta gamma\n"_s.arg(i);
        r += (i % 2 ? u"row %1 delta epsilon zeta\n"_s : u"line %1 alpha beta gamma\n"_s).arg(i);
    }
    TextDiff::Limits limits;
    limits.maxEdits = 400; // the word diff needs about 1,200 edits, the line diff 300
    const TextDiff d = TextDiff::compute(l, r, limits);
    EXPECT_EQ(d.granularity(), TextDiff::Granularity::Line);
    expectConsistent(d, l, r);
    EXPECT_TRUE(d.segments().contains(Segment{Op::Equal, u"line 2 alpha beta gamma\n"_s}));
    EXPECT_TRUE(d.segments().contains(Segment{Op::Removed, u"line 1 alpha beta gamma\n"_s}));
    EXPECT_TRUE(d.segments().contains(Segment{Op::Inserted, u"row 1 delta epsilon zeta\n"_s}));

    const TextDiff full = TextDiff::compute(l, r);
    EXPECT_EQ(full.granularity(), TextDiff::Granularity::Word);
    expectConsistent(full, l, r);
}

TEST(TextDiff, HugeTextsAreBoundedAndStillExact)
{
    // 10 MB answers that differ in one word in the middle: trimming the common prefix and suffix
    // is linear, the middle is small.
    const QString block = u"The quick brown fox jumps over the lazy dog. "_s.repeated(120'000);
    const QString l = block + u"Refund approved."_s + block;
    const QString r = block + u"Refund denied."_s + block;
    QElapsedTimer timer;
    timer.start();
    const TextDiff d = TextDiff::compute(l, r);
    std::cout << "[          ] 2 x " << l.size() / 1'000'000 << " M chars, one change: " << timer.elapsed() << " ms\n";
    expectConsistent(d, l, r);
    ASSERT_EQ(d.segments().size(), 4);
    EXPECT_EQ(d.segments().at(1), (Segment{Op::Removed, u"approved"_s}));
    EXPECT_EQ(d.segments().at(2), (Segment{Op::Inserted, u"denied"_s}));
    EXPECT_EQ(d.granularity(), TextDiff::Granularity::Word);
}

TEST(TextDiff, HugeDifferentTextsAreMarkedChangedWhole)
{
    // Two unrelated multi-megabyte texts: beyond every bound, the middle is marked changed as a whole.
    QString l;
    QString r;
    for (int i = 0; i < 200'000; ++i) {
        l += u"a%1 "_s.arg(i);
        r += u"b%1 "_s.arg(i);
    }
    QElapsedTimer timer;
    timer.start();
    l.prepend(u"same "_s);
    r.prepend(u"same "_s);
    const TextDiff d = TextDiff::compute(l, r);
    std::cout << "[          ] 2 x " << l.size() / 1000 << " k chars, unrelated: " << timer.elapsed() << " ms\n";
    EXPECT_EQ(d.granularity(), TextDiff::Granularity::Whole);
    expectConsistent(d, l, r);
    ASSERT_EQ(d.segments().size(), 4); // "same ", removed, inserted, the shared trailing space
    EXPECT_EQ(d.segments().at(0), (Segment{Op::Equal, u"same "_s}));

    // The token cap alone forces the same (a small text with a tiny cap).
    TextDiff::Limits tiny;
    tiny.maxTokens = 2;
    const TextDiff capped = TextDiff::compute(u"one two three four"_s, u"one 2 3 four"_s, tiny);
    EXPECT_EQ(capped.granularity(), TextDiff::Granularity::Whole);
    EXPECT_EQ(
        capped.segments(),
        (QList<Segment>{
            {Op::Equal, u"one "_s}, {Op::Removed, u"two three"_s}, {Op::Inserted, u"2 3"_s}, {Op::Equal, u" four"_s}}));
}

} // namespace
