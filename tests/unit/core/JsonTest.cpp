// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Json must read what Python's json.loads accepts and write the bytes json.dumps writes (spec
// sdk-sessions.md §2). Expected output and error messages were produced by CPython 3.11.7 unless a
// comment says otherwise.

#include "core/Json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace tb::core {
namespace {

using namespace Qt::StringLiterals;

std::string str(const QByteArray& bytes)
{
    return bytes.toStdString();
}

std::string str(const QString& text)
{
    return text.toStdString();
}

/// Parses text that must be valid; reports the parser's message otherwise.
Json parsed(const QByteArray& text)
{
    auto result = Json::parse(text);
    EXPECT_TRUE(result.has_value()) << "input: " << text.toStdString()
                                    << "\nerror: " << (result ? std::string() : str(result.error().message));
    return result ? *result : Json();
}

/// json.dumps(json.loads(text)).
std::string roundTrip(const QByteArray& text)
{
    return str(parsed(text).dump());
}

/// Parses text that must be rejected; returns the error message.
std::string parseError(const QByteArray& text)
{
    auto result = Json::parse(text);
    EXPECT_FALSE(result.has_value()) << "input accepted: " << text.toStdString();
    if (result)
        return {};
    EXPECT_EQ(result.error().code, Error::Code::Format);
    EXPECT_FALSE(result.error().message.isEmpty());
    return str(result.error().message);
}

bool accepted(const QByteArray& text)
{
    return Json::parse(text).has_value();
}

std::string dumpFloat(double d)
{
    return str(Json(d).dump());
}

Json::DumpOptions compactOptions()
{
    Json::DumpOptions options;
    options.compact = true;
    return options;
}

Json::DumpOptions indentOptions(int indent, bool compact = false)
{
    Json::DumpOptions options;
    options.indent = indent;
    options.compact = compact;
    return options;
}

QString fromUnits(std::initializer_list<char16_t> units)
{
    QString s;
    for (const char16_t u : units)
        s.append(QChar(u));
    return s;
}

// ---------------------------------------------------------------------------------------------
// Byte-exact round trips of what the SDK stores

TEST(JsonTest, SdkItemsRoundTripByteIdentically)
{
    // Rows taken from the SDK-written fixtures in tests/data/sdk.
    const char* const rows[] = {
        R"({"content": "caf\u00e9 \ud83d\ude00", "role": "user"})",
        R"({"content": "Hi, can you check the status of my order A-1042?", "role": "user"})",
        R"({"role": "user", "content": "Obrigada pela ajuda \u2014 at\u00e9 logo!"})",
        R"({"content": "\u6ce8\u6587\u306e\u72b6\u6cc1\u3092\u6559\u3048\u3066\u304f\u3060\u3055\u3044", "role": "user"})",
        R"({"arguments": "{\"order_id\": \"A-1042\"}", "call_id": "call_ETOcFizItHtLHnMvUtwtt9xP", "name": )"
        R"("check_order_status", "type": "function_call", "id": "fc_d0f495de82966143e4611f30fb83c818fe5b8c56a39fa493", )"
        R"("status": "completed"})",
        R"({"call_id": "call_KsPkcW5pEJpNGNvV0s7BabZ0", "output": "The weather in Lisbon is windy, 15\u00b0C.", )"
        R"("type": "function_call_output"})",
        R"({"id": "msg_7eca3d164928c43799e5313f88900fa3bedb10174ac2c2c8", "type": "message", "role": "assistant", )"
        R"("status": "completed", "content": [{"type": "output_text", "text": "De nada! Boa viagem \u2708\ufe0f", )"
        R"("annotations": []}]})",
        R"({"id": "msg_2a8d84d3c33752a7a41a1c176ee6c3f8eeeef9cb40cd8fb0", "content": [{"annotations": [], "text": )"
        R"("Your order A-1042 has shipped with UPS and should arrive on November 28.", "type": "output_text", )"
        R"("logprobs": []}], "role": "assistant", "status": "completed", "type": "message"})",
        R"({"id": "rs_1", "summary": [{"text": "a\nb\tc \"q\" \\ / \u007f", "type": "summary_text"}], "type": "reasoning"})",
        R"({"a": 1, "b": 2.5, "c": true, "d": false, "e": null, "f": [1, [2, [3, {}]]], "g": -0.0, "h": 1e-07})",
    };
    for (const char* row : rows)
        EXPECT_EQ(roundTrip(row), row);
}

TEST(JsonTest, BuiltItemDumpsLikePython)
{
    Json item = Json::object();
    item.insert(u"content"_s, Json(u"caf\u00e9 "_s + fromUnits({0xd83d, 0xde00})));
    item.insert(u"role"_s, "user");
    EXPECT_EQ(str(item.dump()), R"({"content": "caf\u00e9 \ud83d\ude00", "role": "user"})");
}

// ---------------------------------------------------------------------------------------------
// dump(): scalars, separators, containers

TEST(JsonTest, DumpsScalars)
{
    EXPECT_EQ(str(Json().dump()), "null");
    EXPECT_EQ(str(Json(nullptr).dump()), "null");
    EXPECT_EQ(str(Json(true).dump()), "true");
    EXPECT_EQ(str(Json(false).dump()), "false");
    EXPECT_EQ(str(Json(0).dump()), "0");
    EXPECT_EQ(str(Json(-42).dump()), "-42");
    EXPECT_EQ(str(Json(std::numeric_limits<qint64>::max()).dump()), "9223372036854775807");
    EXPECT_EQ(str(Json(std::numeric_limits<qint64>::min()).dump()), "-9223372036854775808");
    EXPECT_EQ(str(Json("text").dump()), "\"text\"");
    EXPECT_EQ(str(Json(QString()).dump()), "\"\"");
}

TEST(JsonTest, DumpsWithDefaultSeparatorsInInsertionOrder)
{
    Json inner = Json::object();
    inner.insert(u"z"_s, nullptr);
    inner.insert(u"a"_s, Json::Array{Json(1), Json("x")});
    Json v = Json::object();
    v.insert(u"zeta"_s, 1);
    v.insert(u"alpha"_s, inner);
    v.insert(u"mid"_s, Json::Array{Json(1), Json(2), Json(3)});
    EXPECT_EQ(str(v.dump()), R"({"zeta": 1, "alpha": {"z": null, "a": [1, "x"]}, "mid": [1, 2, 3]})");
}

TEST(JsonTest, DumpsEmptyContainers)
{
    EXPECT_EQ(str(Json::array().dump()), "[]");
    EXPECT_EQ(str(Json::object().dump()), "{}");
    EXPECT_EQ(roundTrip("[[], {}, [{}], {\"a\": []}]"), "[[], {}, [{}], {\"a\": []}]");
    EXPECT_EQ(roundTrip(" [ ] "), "[]");
    EXPECT_EQ(roundTrip("{\n}"), "{}");
}

TEST(JsonTest, DumpsCompact)
{
    const Json v = parsed(R"({"a": {"b": [1, [], {}], "c": "x, y: z"}, "d": []})");
    EXPECT_EQ(str(v.dump(compactOptions())), R"({"a":{"b":[1,[],{}],"c":"x, y: z"},"d":[]})");
    EXPECT_EQ(str(Json::array().dump(compactOptions())), "[]");
}

TEST(JsonTest, DumpsIndentedLikePython)
{
    const Json v = parsed(R"({"a": {"b": [1, [], {}], "c": "x"}, "d": []})");
    EXPECT_EQ(str(v.dump(indentOptions(2))),
              "{\n  \"a\": {\n    \"b\": [\n      1,\n      [],\n      {}\n    ],\n    \"c\": \"x\"\n  },\n"
              "  \"d\": []\n}");
    // indent=0 still breaks lines.
    EXPECT_EQ(str(v.dump(indentOptions(0))), "{\n\"a\": {\n\"b\": [\n1,\n[],\n{}\n],\n\"c\": \"x\"\n},\n\"d\": []\n}");
    // indent=1, separators=(",", ":").
    EXPECT_EQ(str(v.dump(indentOptions(1, true))),
              "{\n \"a\":{\n  \"b\":[\n   1,\n   [],\n   {}\n  ],\n  \"c\":\"x\"\n },\n \"d\":[]\n}");
    EXPECT_EQ(str(Json(5).dump(indentOptions(2))), "5");
    EXPECT_EQ(str(Json::array().dump(indentOptions(2))), "[]");
    EXPECT_EQ(str(Json::object().dump(indentOptions(2))), "{}");
}

TEST(JsonTest, IndentedOutputKeepsAsciiEscaping)
{
    const Json v = Json::Array{Json(u"\u00e9"_s)};
    EXPECT_EQ(str(v.dump(indentOptions(4))), "[\n    \"\\u00e9\"\n]");
}

// ---------------------------------------------------------------------------------------------
// dump(): string escaping

TEST(JsonTest, EscapesEveryAsciiCharLikePython)
{
    QString all;
    for (char16_t c = 0; c < 0x80; ++c)
        all.append(QChar(c));
    const std::string expected =
        R"("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012)"
        R"(\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f !\"#$%&'()*+,-./)"
        R"(0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f")";
    EXPECT_EQ(str(Json(all).dump()), expected);
}

TEST(JsonTest, EscapesNonAsciiAsLowercaseUtf16Units)
{
    EXPECT_EQ(str(Json(u"caf\u00e9"_s).dump()), R"("caf\u00e9")");
    EXPECT_EQ(str(Json(u"\u00ff\u0100\uabcd\uffff"_s).dump()), R"("\u00ff\u0100\uabcd\uffff")");
    EXPECT_EQ(str(Json(u"\u0080"_s).dump()), R"("\u0080")");
    // Astral characters become surrogate-pair escapes.
    EXPECT_EQ(str(Json(fromUnits({0xd83d, 0xde00})).dump()), R"("\ud83d\ude00")");
    EXPECT_EQ(str(Json(fromUnits({0xdbff, 0xdfff})).dump()), R"("\udbff\udfff")");
    // Json(const char*) takes UTF-8.
    EXPECT_EQ(str(Json("caf\xc3\xa9 \xf0\x9f\x98\x80").dump()), R"("caf\u00e9 \ud83d\ude00")");
}

TEST(JsonTest, EscapesLoneSurrogates)
{
    EXPECT_EQ(str(Json(fromUnits({0xd800})).dump()), R"("\ud800")");
    EXPECT_EQ(str(Json(fromUnits({u'a', 0xdc00, u'b'})).dump()), R"("a\udc00b")");
    EXPECT_EQ(str(Json(fromUnits({0xde00, 0xd83d})).dump()), R"("\ude00\ud83d")");
}

TEST(JsonTest, DoesNotEscapeSlash)
{
    EXPECT_EQ(str(Json("a/b</script>").dump()), R"("a/b</script>")");
    EXPECT_EQ(roundTrip(R"("\/")"), R"("/")");
}

TEST(JsonTest, EscapesKeysToo)
{
    Json v = Json::object();
    v.insert(u"k\u00e9y\n\""_s, 1);
    EXPECT_EQ(str(v.dump()), R"({"k\u00e9y\n\"": 1})");
}

TEST(JsonTest, DumpUnicodeWritesNonAsciiRaw)
{
    // json.dumps(v, ensure_ascii=False): only controls, quote and backslash are escaped.
    const QString text = u"\u0000\u001f\u007f/\u00e9"_s + fromUnits({0xd83d, 0xde00}) + u"\"\\\n"_s;
    EXPECT_EQ(Json(text).dumpUnicode(),
              u"\"\\u0000\\u001f\u007f/\u00e9"_s + fromUnits({0xd83d, 0xde00}) + u"\\\"\\\\\\n\""_s);
    // A lone surrogate is kept as it is in the QString.
    EXPECT_EQ(Json(fromUnits({0xd800})).dumpUnicode(), u"\""_s + fromUnits({0xd800}) + u"\""_s);
    const Json v = parsed(R"({"a": ["\u00e9", 1.5]})");
    EXPECT_EQ(v.dumpUnicode(), u"{\"a\": [\"\u00e9\", 1.5]}"_s);
}

TEST(JsonTest, DumpWithoutEnsureAsciiIsUtf8)
{
    Json::DumpOptions options;
    options.ensureAscii = false;
    const QString text = u"\u00e9\u20ac\u007f"_s + fromUnits({0xd83d, 0xde00});
    EXPECT_EQ(Json(text).dump(options), QByteArray("\"\xc3\xa9\xe2\x82\xac\x7f\xf0\x9f\x98\x80\""));
    // A lone surrogate has no UTF-8 form (Python would fail to encode it); it becomes U+FFFD.
    EXPECT_EQ(Json(fromUnits({u'a', 0xdc00})).dump(options), QByteArray("\"a\xef\xbf\xbd\""));
    EXPECT_EQ(Json("\n\x01").dump(options), QByteArray(R"("\n\u0001")"));
}

// ---------------------------------------------------------------------------------------------
// Numbers: Python repr(float)

TEST(JsonTest, DumpsFloatsAsPythonRepr)
{
    const struct
    {
        double value;
        const char* repr;
    } cases[] = {
        {0x1.0000000000000p+0, "1.0"},
        {0x1.999999999999ap-4, "0.1"},
        {0x1.ad7f29abcaf48p-24, "1e-07"},
        {0x1.1c37937e08000p+53, "1e+16"},
        {0x1.c6bf526340000p+49, "1000000000000000.0"},
        {0x1.b69b4ba630f35p+56, "1.2345678901234568e+17"},
        {0x1.0f0cf064dd592p+73, "1e+22"},
        {0x0.0000000000001p-1022, "5e-324"},
        {-0x0.0p+0, "-0.0"},
        {0x0.0p+0, "0.0"},
        {0x1.a36e2eb1c432dp-14, "0.0001"},
        {0x1.4f8b588e368f1p-17, "1e-05"},
        {0x1.1eb2d66005835p+997, "1.5e+300"},
        {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"},
        {0x1.0000000000000p-1022, "2.2250738585072014e-308"},
        {0x1.9000000000000p+6, "100.0"},
        {0x1.91eb851eb851fp+1, "3.14"},
        {0x1.5555555555555p-2, "0.3333333333333333"},
        {0x1.5555555555555p-1, "0.6666666666666666"},
        {0x1.0000000000000p+53, "9007199254740992.0"},
        {0x1.0624dd2f1a9fcp-10, "0.001"},
        {0x1.81cd6c8b43958p+13, "12345.678"},
        {-0x1.4000000000000p+1, "-2.5"},
        {0x1.249ad2594c37dp+332, "1e+100"},
        {0x1.bff2ee48e0530p-333, "1e-100"},
        {0x1.6b082c2148b8ep-60, "1.23e-18"},
        {0x1.1c37937e07fffp+53, "9999999999999998.0"},
        {0x1.5ee2a2eb5a5c4p+53, "1.2345678901234568e+16"},
        {0x1.3333333333334p-2, "0.30000000000000004"},
        {0x1.b1ae4d6e2ef50p+69, "1e+21"},
        {0x1.52d02c7e14af6p+76, "1e+23"},
        {0x1.1666666666666p+2, "4.35"},
        {0x1.5666666666666p+1, "2.675"},
        {0x1.711947cfa26a2p-17, "1.1e-05"},
        {0x1.a36e2eb1c432dp-15, "5e-05"},
        {0x1.5af1d78b58c3fp+66, "9.999999999999998e+19"},
        {0x1.18b54f22aeb03p+50, "1234567890123456.8"},
        {0x1.0000000000000p-1, "0.5"},
        {0x1.0000000000000p+68, "2.9514790517935283e+20"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(dumpFloat(c.value), c.repr) << "value " << c.repr;
}

TEST(JsonTest, DumpsNonFiniteFloatsAsBareWords)
{
    EXPECT_EQ(dumpFloat(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(dumpFloat(std::numeric_limits<double>::infinity()), "Infinity");
    EXPECT_EQ(dumpFloat(-std::numeric_limits<double>::infinity()), "-Infinity");
    EXPECT_EQ(roundTrip("[NaN, Infinity, -Infinity]"), "[NaN, Infinity, -Infinity]");
    EXPECT_EQ(roundTrip("{\"x\":NaN}"), "{\"x\": NaN}");
}

TEST(JsonTest, NumbersRoundTripLikePython)
{
    const struct
    {
        const char* text;
        const char* dumped;
    } cases[] = {
        {"1e16", "1e+16"},
        {"1E16", "1e+16"},
        {"1e+16", "1e+16"},
        {"1.0", "1.0"},
        {"0.1", "0.1"},
        {"1e-7", "1e-07"},
        {"1e-07", "1e-07"},
        {"123456789012345678", "123456789012345678"},
        {"123456789012345678.0", "1.2345678901234568e+17"},
        {"1e22", "1e+22"},
        {"5e-324", "5e-324"},
        {"4.9e-324", "5e-324"},
        {"-0.0", "-0.0"},
        {"-0", "0"},
        {"0", "0"},
        {"0e0", "0.0"},
        {"1.5E+300", "1.5e+300"},
        {"2.5e-5", "2.5e-05"},
        {"100", "100"},
        {"100.0", "100.0"},
        {"1e2", "100.0"},
        {"0.000001", "1e-06"},
        {"0.1e1", "1.0"},
        {"12.50", "12.5"},
        {"3.0e-10", "3e-10"},
        {"1.7976931348623157e308", "1.7976931348623157e+308"},
        // Correct rounding, including ties to even and the subnormal boundary.
        {"1.00000000000000011102230246251565404236316680908203125", "1.0"},
        {"2.4703282292062328e-324", "5e-324"},
        {"2.4703282292062327e-324", "0.0"},
        // Out of range: Python's float() overflows to inf and underflows to 0.
        {"1.7976931348623159e308", "Infinity"},
        {"1e400", "Infinity"},
        {"-1e400", "-Infinity"},
        {"1e-400", "0.0"},
        {"-1e-400", "-0.0"},
        {"1e99999999999999999999", "Infinity"},
        {"1e-99999999999999999999", "0.0"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(roundTrip(c.text), c.dumped) << "input " << c.text;

    // Long mantissas whose exponent brings them back into range, and ones that overflow.
    const QByteArray zeros(400, '0');
    EXPECT_EQ(roundTrip("0." + zeros + "1e405"), "10000.0");
    EXPECT_EQ(roundTrip("1" + zeros + "e-405"), "1e-05");
    EXPECT_EQ(roundTrip("1" + zeros + ".5"), "Infinity");
    EXPECT_EQ(roundTrip("0." + zeros + "1"), "0.0");
}

TEST(JsonTest, IntegersStayIntegers)
{
    const Json one = parsed("1");
    EXPECT_EQ(one.type(), Json::Type::Int);
    EXPECT_EQ(one.toInt(), 1);
    EXPECT_EQ(parsed("1.0").type(), Json::Type::Double);
    EXPECT_EQ(parsed("1e0").type(), Json::Type::Double);

    const Json minusZero = parsed("-0");
    EXPECT_EQ(minusZero.type(), Json::Type::Int);
    EXPECT_EQ(minusZero.toInt(-1), 0);
    const Json minusZeroFloat = parsed("-0.0");
    EXPECT_EQ(minusZeroFloat.type(), Json::Type::Double);
    EXPECT_TRUE(std::signbit(minusZeroFloat.toDouble()));

    EXPECT_EQ(parsed("123456789012345678").toInt(), 123456789012345678LL);
    EXPECT_EQ(parsed("9223372036854775807").toInt(), std::numeric_limits<qint64>::max());
    EXPECT_EQ(parsed("9223372036854775807").type(), Json::Type::Int);
    EXPECT_EQ(parsed("-9223372036854775808").toInt(), std::numeric_limits<qint64>::min());
    EXPECT_EQ(parsed("-9223372036854775808").type(), Json::Type::Int);
}

TEST(JsonTest, BigIntegersRoundTripExactly)
{
    const char* const cases[] = {
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "1234567890123456789012345678901234567890",
        "-99999999999999999999999999999999999999999999",
        "[1, 100000000000000000000000, {\"n\": -100000000000000000000000}]",
    };
    for (const char* text : cases)
        EXPECT_EQ(roundTrip(text), text);

    const Json big = parsed("9223372036854775808");
    EXPECT_EQ(big.type(), Json::Type::BigInt);
    EXPECT_TRUE(big.isNumber());
    EXPECT_FALSE(big.isInt());
    EXPECT_EQ(str(big.pythonStr()), "9223372036854775808");
    EXPECT_DOUBLE_EQ(big.toDouble(), 9223372036854775808.0);
    EXPECT_EQ(big.toInt(7), 7);
    EXPECT_TRUE(std::isinf(parsed(QByteArray(400, '9')).toDouble()));
    EXPECT_TRUE(std::isinf(parsed("-" + QByteArray(400, '9')).toDouble()));
}

TEST(JsonTest, IntegerDigitLimitOfPython311)
{
    // int() refuses more than 4300 digits (sys.get_int_max_str_digits()), so json.loads raises.
    const QByteArray digits4300 = "1" + QByteArray(4299, '0');
    EXPECT_EQ(roundTrip(digits4300), str(digits4300));
    EXPECT_EQ(roundTrip("-" + digits4300), "-" + str(digits4300));
    EXPECT_NE(parseError(digits4300 + "0").find("Exceeds the limit (4300 digits)"), std::string::npos);
    EXPECT_NE(parseError("[" + digits4300 + "0]").find("value has 4301 digits"), std::string::npos);
    // Floats have no such limit.
    EXPECT_EQ(roundTrip(digits4300 + ".0"), "Infinity");
}

TEST(JsonTest, BigIntFactoryNormalisesLikePythonInt)
{
    EXPECT_EQ(Json::bigInt(u"123456789012345678901234567890"_s).type(), Json::Type::BigInt);
    EXPECT_EQ(str(Json::bigInt(u"123456789012345678901234567890"_s).dump()), "123456789012345678901234567890");
    EXPECT_EQ(str(Json::bigInt(u"-000123456789012345678901234567890"_s).dump()), "-123456789012345678901234567890");
    // Values that fit in 64 bits are plain ints.
    EXPECT_EQ(Json::bigInt(u"-0"_s).type(), Json::Type::Int);
    EXPECT_EQ(Json::bigInt(u"-0"_s).toInt(-1), 0);
    EXPECT_EQ(Json::bigInt(u"00042"_s).toInt(), 42);
    EXPECT_EQ(Json::bigInt(u"-9223372036854775808"_s).type(), Json::Type::Int);
    // Not an integer: null.
    EXPECT_TRUE(Json::bigInt(QString()).isNull());
    EXPECT_TRUE(Json::bigInt(u"12a"_s).isNull());
    EXPECT_TRUE(Json::bigInt(u"-"_s).isNull());
    EXPECT_TRUE(Json::bigInt(u"1.5"_s).isNull());
}

TEST(JsonTest, RejectsWhatTheJsonNumberGrammarRejects)
{
    const char* const rejected[] = {
        "01",  "-01",  "00",        "+1",   "1.",        "-1.",   ".5",       "1.e5", "1e",
        "1e+", "1E-",  "-",         "--1",  "0x10",      "1_000", "[01]",     "[1.]", "nan",
        "inf", "-NaN", "+Infinity", "-Inf", "Infinity1", "NaNx",  "infinity", "1 2",  "- 1",
    };
    for (const char* text : rejected)
        EXPECT_FALSE(accepted(text)) << "input " << text;
}

// ---------------------------------------------------------------------------------------------
// parse(): literals, whitespace, structure

TEST(JsonTest, ParsesLiterals)
{
    EXPECT_TRUE(parsed("null").isNull());
    EXPECT_TRUE(parsed("true").toBool());
    EXPECT_TRUE(parsed("true").isBool());
    EXPECT_FALSE(parsed("false").toBool(true));
    EXPECT_TRUE(std::isnan(parsed("NaN").toDouble()));
    EXPECT_EQ(parsed("Infinity").toDouble(), std::numeric_limits<double>::infinity());
    EXPECT_EQ(parsed("-Infinity").toDouble(), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(parsed("\"s\"").toString(), u"s"_s);
    // "" is an empty, not a null, QString (SQL bindings tell the two apart).
    EXPECT_TRUE(parsed("\"\"").isString());
    EXPECT_FALSE(parsed("\"\"").toString().isNull());
    EXPECT_FALSE(Json::parse(u"\"\""_s)->toString().isNull());
    for (const char* text : {"nul", "tru", "True", "NULL", "nulll", "fals"})
        EXPECT_FALSE(accepted(text)) << text;
}

TEST(JsonTest, OnlyFourWhitespaceCharacters)
{
    EXPECT_EQ(roundTrip(" \t\n\r[ \t\n\r1 \t\n\r, \t\n\r{ \t\n\r\"a\" \t\n\r: \t\n\r2 \t\n\r} \t\n\r] \t\n\r"),
              "[1, {\"a\": 2}]");
    EXPECT_FALSE(accepted("\f1"));
    EXPECT_FALSE(accepted("\v1"));
    EXPECT_FALSE(accepted("1\f"));
    EXPECT_FALSE(accepted("\xc2\xa0\x31")); // NO-BREAK SPACE, then "1"
    EXPECT_FALSE(accepted("[1,\f2]"));
}

TEST(JsonTest, RejectsEmptyInput)
{
    EXPECT_EQ(parseError(""), "Expecting value: line 1 column 1 (char 0)");
    EXPECT_EQ(parseError(" "), "Expecting value: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError(" \n\t\r"), "Expecting value: line 2 column 3 (char 4)");
    EXPECT_FALSE(Json::parse(QString()).has_value());
}

TEST(JsonTest, RejectsTrailingGarbage)
{
    EXPECT_EQ(parseError("[1] x"), "Extra data: line 1 column 5 (char 4)");
    EXPECT_EQ(parseError("{\"a\": 1} {"), "Extra data: line 1 column 10 (char 9)");
    for (const char* text : {"1 2", "[1]]", "{}}", "nullx", "truefalse", "\"a\"\"b\"", "1,", "[],", "0 0"})
        EXPECT_FALSE(accepted(text)) << text;
    EXPECT_FALSE(accepted(QByteArray("1\0", 2)));
}

TEST(JsonTest, ReportsPythonStyleErrorsWithPosition)
{
    EXPECT_EQ(parseError("[1,]"), "Expecting value: line 1 column 4 (char 3)");
    EXPECT_EQ(parseError("{\"a\":1,}"), "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)");
    EXPECT_EQ(parseError("{1:2}"), "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("{'a': 1}"), "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("{\"a\" 1}"), "Expecting ':' delimiter: line 1 column 6 (char 5)");
    EXPECT_EQ(parseError("[1 2]"), "Expecting ',' delimiter: line 1 column 4 (char 3)");
    EXPECT_EQ(parseError("{\"a\": 1 \"b\": 2}"), "Expecting ',' delimiter: line 1 column 9 (char 8)");
    EXPECT_EQ(parseError("\"abc"), "Unterminated string starting at: line 1 column 1 (char 0)");
    EXPECT_EQ(parseError("\"a\\x\""), "Invalid \\escape: line 1 column 3 (char 2)");
    EXPECT_EQ(parseError("\"\\u12\""), "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
    EXPECT_EQ(parseError("\"\\u12zz\""), "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
    EXPECT_EQ(parseError("\"\t\""), "Invalid control character at: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("["), "Expecting value: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("-"), "Expecting value: line 1 column 1 (char 0)");
    EXPECT_EQ(parseError("1."), "Extra data: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("01"), "Extra data: line 1 column 2 (char 1)");
    EXPECT_EQ(parseError("1e"), "Extra data: line 1 column 2 (char 1)");
    // Lines and columns count from 1, chars are code points.
    EXPECT_EQ(parseError("[1,\n 2,\n x]"), "Expecting value: line 3 column 2 (char 9)");
    EXPECT_EQ(parseError("[1, 2\r\n"), "Expecting ',' delimiter: line 2 column 1 (char 7)");
    EXPECT_EQ(parseError("[\"\xc3\xa9\xf0\x9f\x98\x80\", x]"), "Expecting value: line 1 column 8 (char 7)");
    EXPECT_EQ(parseError("\n\n  }"), "Expecting value: line 3 column 3 (char 4)");
}

TEST(JsonTest, RejectsUtf8ByteOrderMark)
{
    // The sqlite3 module hands json.loads a str starting with U+FEFF, which it refuses.
    EXPECT_EQ(parseError("\xef\xbb\xbf{}"), "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
    EXPECT_FALSE(Json::parse(u"\ufeff{}"_s).has_value());
}

TEST(JsonTest, DuplicateKeysKeepFirstPositionAndLastValue)
{
    EXPECT_EQ(roundTrip(R"({"a": 1, "b": 2, "a": 3})"), R"({"a": 3, "b": 2})");
    EXPECT_EQ(roundTrip(R"({"a": 1, "a": {"x": 1}, "a": [2]})"), R"({"a": [2]})");

    // Large objects take another path for duplicate detection.
    QByteArray text = "{";
    for (int i = 0; i < 40; ++i)
        text += "\"k" + QByteArray::number(i) + "\": " + QByteArray::number(i) + ", ";
    text += "\"k3\": \"x\", \"k39\": \"y\", \"k0\": null, \"new\": true}";
    const Json v = parsed(text);
    ASSERT_EQ(v.size(), 41);
    EXPECT_EQ(v.asObject()[0].first, u"k0"_s);
    EXPECT_TRUE(v.asObject()[0].second.isNull());
    EXPECT_EQ(v[u"k3"].toString(), u"x"_s);
    EXPECT_EQ(v[u"k39"].toString(), u"y"_s);
    EXPECT_EQ(v.asObject()[39].first, u"k39"_s);
    EXPECT_EQ(v.asObject()[40].first, u"new"_s);
    EXPECT_EQ(v[u"k17"].toInt(), 17);
}

TEST(JsonTest, NestingIsLimited)
{
    const int limit = 512;
    const QByteArray deepest = QByteArray(limit, '[') + QByteArray(limit, ']');
    const Json v = parsed(deepest);
    EXPECT_EQ(str(v.dump()), str(deepest));

    const QByteArray tooDeep = QByteArray(limit + 1, '[') + QByteArray(limit + 1, ']');
    EXPECT_NE(parseError(tooDeep).find("Nesting deeper than 512 levels"), std::string::npos);

    QByteArray objects;
    for (int i = 0; i < limit + 1; ++i)
        objects += "{\"a\": ";
    objects += "1" + QByteArray(limit + 1, '}');
    EXPECT_FALSE(accepted(objects));

    // Far beyond the limit must fail cleanly, not overflow the stack.
    EXPECT_FALSE(accepted(QByteArray(1'000'000, '[')));
    EXPECT_FALSE(accepted(QByteArray(200'000, '{').replace("{", "{\"a\":")));
}

// ---------------------------------------------------------------------------------------------
// parse(): strings

TEST(JsonTest, ParsesEscapes)
{
    EXPECT_EQ(parsed(R"("\" \\ \/ \b \f \n \r \t")").toString(), u"\" \\ / \b \f \n \r \t"_s);
    EXPECT_EQ(parsed(R"("\u0041\u00e9\u00E9\uABCD\uabcd")").toString(), u"A\u00e9\u00e9\uabcd\uabcd"_s);
    EXPECT_EQ(parsed(R"("\u0000")").toString(), fromUnits({0}));
    EXPECT_EQ(roundTrip(R"("\u0000 \u001F \u007F")"), R"("\u0000 \u001f \u007f")");
    for (const char* text : {R"("\x41")", R"("\U0041")", R"("\a")", R"("\0")", R"("\')", R"("\u")", R"("\u123")",
                             R"("\u12G4")", "\"\\", "\"\\\""})
        EXPECT_FALSE(accepted(text)) << text;
}

TEST(JsonTest, CombinesSurrogatePairsAndKeepsLoneSurrogates)
{
    EXPECT_EQ(parsed(R"("\ud83d\ude00")").toString(), fromUnits({0xd83d, 0xde00}));
    EXPECT_EQ(parsed(R"("\ud800")").toString(), fromUnits({0xd800}));
    EXPECT_EQ(parsed(R"("\udc00x")").toString(), fromUnits({0xdc00, u'x'}));
    EXPECT_EQ(parsed(R"("\ud83d\u0041")").toString(), fromUnits({0xd83d, u'A'}));
    EXPECT_EQ(parsed(R"("\ude00\ud83d")").toString(), fromUnits({0xde00, 0xd83d}));
    EXPECT_EQ(parsed(R"("\ud83d\ud83d\ude00")").toString(), fromUnits({0xd83d, 0xd83d, 0xde00}));
    // A raw astral character and its escaped form are the same string.
    EXPECT_EQ(parsed("\"\xf0\x9f\x98\x80\"").toString(), fromUnits({0xd83d, 0xde00}));
    for (const char* text : {R"("\ud800")", R"("a\udc00b")", R"("\ud83d\ude00")", R"(["\udbff", "\udfff"])"})
        EXPECT_EQ(roundTrip(text), text);
}

TEST(JsonTest, RejectsRawControlCharactersInStrings)
{
    for (char c = 0; c < 0x20; ++c) {
        const QByteArray text = QByteArray("\"a") + c + "b\"";
        EXPECT_FALSE(accepted(text)) << "control char " << int(c);
    }
    // DEL and everything above is fine raw.
    EXPECT_EQ(parsed("\"\x7f\"").toString(), u"\u007f"_s);
    EXPECT_EQ(roundTrip("\"\x7f\""), R"("\u007f")");
    EXPECT_EQ(roundTrip("\"\xc2\x80\""), R"("\u0080")");
    // Controls are fine as whitespace outside strings only where Python allows them (tab, LF, CR).
    EXPECT_EQ(roundTrip("[\"a\",\t\"b\"]"), R"(["a", "b"])");
}

TEST(JsonTest, DecodesValidUtf8)
{
    EXPECT_EQ(parsed("\"caf\xc3\xa9\"").toString(), u"caf\u00e9"_s);
    EXPECT_EQ(parsed("\"\xe2\x82\xac\"").toString(), u"\u20ac"_s);
    EXPECT_EQ(parsed("\"\xed\x9f\xbf\"").toString(), u"\ud7ff"_s);
    EXPECT_EQ(parsed("\"\xee\x80\x80\"").toString(), u"\ue000"_s);
    EXPECT_EQ(parsed("\"\xef\xbf\xbf\"").toString(), u"\uffff"_s);
    EXPECT_EQ(parsed("\"\xf0\x90\x80\x80\"").toString(), fromUnits({0xd800, 0xdc00}));
    EXPECT_EQ(parsed("\"\xf4\x8f\xbf\xbf\"").toString(), fromUnits({0xdbff, 0xdfff}));
    // Mixed with escapes (the slower path).
    EXPECT_EQ(parsed("\"\xc3\xa9\\n\xf0\x9f\x98\x80\\u00e9x\"").toString(),
              u"\u00e9\n"_s + fromUnits({0xd83d, 0xde00}) + u"\u00e9x"_s);
    EXPECT_EQ(roundTrip("{\"k\xc3\xa9y\": \"\xe2\x9c\x88\xef\xb8\x8f\"}"), R"({"k\u00e9y": "\u2708\ufe0f"})");
    // U+FEFF is an ordinary character inside strings, also at their start.
    EXPECT_EQ(parsed("\"\xef\xbb\xbf\"").toString(), u"\ufeff"_s);
    EXPECT_EQ(roundTrip("{\"\xef\xbb\xbf\": \"\xef\xbb\xbf\x78\"}"), R"({"\ufeff": "\ufeffx"})"); // \x78 = x
    EXPECT_EQ(Json::parse(u"\"\ufeff\""_s)->toString(), u"\ufeff"_s);
}

TEST(JsonTest, RejectsInvalidUtf8)
{
    const char* const invalid[] = {
        "\"\x80\"", // continuation byte without a lead
        "\"\xbf\"",
        "\"\xc0\x80\"",     // overlong NUL
        "\"\xc1\xbf\"",     // overlong
        "\"\xe0\x80\x80\"", // overlong 3-byte
        "\"\xe0\x9f\xbf\"",
        "\"\xf0\x80\x80\x80\"", // overlong 4-byte
        "\"\xf0\x8f\xbf\xbf\"",
        "\"\xed\xa0\x80\"", // UTF-8-encoded surrogate (CESU)
        "\"\xed\xbf\xbf\"",
        "\"\xf4\x90\x80\x80\"", // above U+10FFFF
        "\"\xf5\x80\x80\x80\"",
        "\"\xfe\"",
        "\"\xff\"",
        "\"\xc3\"", // truncated sequences
        "\"\xe2\x82\"",
        "\"\xf0\x9f\x98\"",
        "\"\xc3\x61\"", // bad continuation ("a")
        "\"\xe2\x28\xa1\"",
        "\"ok\\n\xff\"", // after an escape
        "{\"\xff\": 1}", // in a key
        "[\"\xc3\xa9\", \"\xc3\"]",
        "\xff", // outside strings
        "[1, \xc3\xa9]",
    };
    for (const char* text : invalid)
        EXPECT_FALSE(accepted(text)) << "input " << QByteArray(text).toHex().toStdString();
    EXPECT_NE(parseError("\"ab\xff\"").find("Invalid UTF-8"), std::string::npos);
}

TEST(JsonTest, HandlesTenMegabyteStrings)
{
    const qsizetype size = qsizetype(10) * 1024 * 1024;
    const QByteArray plain = "\"" + QByteArray(size, 'a') + "\"";
    const Json v = parsed(plain);
    EXPECT_EQ(v.toString().size(), size);
    EXPECT_EQ(v.dump(), plain);

    // Non-ASCII and escapes, as long tool outputs have.
    QByteArray chunk = "caf\xc3\xa9 \\\"q\\\" \\n\xf0\x9f\x98\x80 ";
    QByteArray mixed = "\"";
    while (mixed.size() < size)
        mixed += chunk;
    mixed += "\"";
    const Json m = parsed(mixed);
    const QByteArray dumped = m.dump();
    EXPECT_TRUE(dumped.startsWith(R"("caf\u00e9 \"q\" \n\ud83d\ude00 caf\u00e9)"));
    EXPECT_EQ(parsed(dumped), m);
    EXPECT_EQ(Json::parse(m.dumpUnicode())->toString(), m.toString());
}

// ---------------------------------------------------------------------------------------------
// parse(const QString&)

TEST(JsonTest, ParsesQStringText)
{
    const Json v = *Json::parse(u"{\"content\": \"caf\u00e9 \\ud83d\\ude00\", \"n\": [1, 2.5, 1e16, -0]}"_s);
    EXPECT_EQ(str(v.dump()), R"({"content": "caf\u00e9 \ud83d\ude00", "n": [1, 2.5, 1e+16, 0]})");
    EXPECT_EQ(v[u"content"].toString(), u"caf\u00e9 "_s + fromUnits({0xd83d, 0xde00}));
    // A Python str may hold lone surrogates raw; they are kept.
    const QString lone = u"\""_s + fromUnits({0xd800}) + u"x\""_s;
    EXPECT_EQ(Json::parse(lone)->toString(), fromUnits({0xd800, u'x'}));
    EXPECT_EQ(str(Json::parse(lone)->dump()), R"("\ud800x")");

    EXPECT_EQ(str(Json::parse(u"[1,\n x]"_s).error().message), "Expecting value: line 2 column 2 (char 5)");
    EXPECT_EQ(str(Json::parse(u"[\"\u00e9\U0001F600\", x]"_s).error().message),
              "Expecting value: line 1 column 8 (char 7)");
    EXPECT_EQ(Json::parse(u"[1] x"_s).error().code, Error::Code::Format);
    EXPECT_FALSE(Json::parse(u"\"\u0001\""_s).has_value());
    EXPECT_FALSE(Json::parse(u"\u00a01"_s).has_value());
    EXPECT_FALSE(Json::parse(u"\uff11"_s).has_value()); // FULLWIDTH DIGIT ONE is not a digit
    EXPECT_EQ(Json::parse(u"[1e400, 123456789012345678901234567890]"_s)->dump(),
              QByteArray("[Infinity, 123456789012345678901234567890]"));
}

TEST(JsonTest, QStringAndUtf8ParsesAgree)
{
    const char* const texts[] = {
        R"({"a": [1, 2.5, "x\u00e9\n", null, true, false, {}], "b": {"c": -1e-07}})",
        "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\", \"\\ud800\", 18446744073709551616, NaN, -Infinity]",
    };
    for (const char* text : texts) {
        const QByteArray utf8(text);
        EXPECT_EQ(Json::parse(utf8)->dump(), Json::parse(QString::fromUtf8(utf8))->dump()) << text;
    }
}

// ---------------------------------------------------------------------------------------------
// Accessors and mutation

TEST(JsonTest, FindAndSubscript)
{
    const Json v = parsed(R"({"a": 1, "b": null, "c": {"d": "x"}})");
    ASSERT_NE(v.find(u"a"), nullptr);
    EXPECT_EQ(v.find(u"a")->toInt(), 1);
    ASSERT_NE(v.find(u"b"), nullptr); // present, value null
    EXPECT_TRUE(v.find(u"b")->isNull());
    EXPECT_EQ(v.find(u"zz"), nullptr);
    EXPECT_TRUE(v.contains(u"b"));
    EXPECT_FALSE(v.contains(u"A"));
    EXPECT_EQ(v[u"c"][u"d"].toString(), u"x"_s);
    EXPECT_TRUE(v[u"missing"].isNull());
    EXPECT_TRUE(v[u"missing"][u"deeper"].isNull());
    // Absent members all refer to one static null.
    EXPECT_EQ(&v[u"missing"], &v[u"other"]);

    const Json array = parsed("[1, 2]");
    EXPECT_EQ(array.find(u"0"), nullptr);
    EXPECT_TRUE(array[u"0"].isNull());
    EXPECT_EQ(Json(5).find(u"a"), nullptr);
    EXPECT_EQ(Json().find(u"a"), nullptr);
}

TEST(JsonTest, InsertKeepsPositionOrAppends)
{
    Json v = parsed(R"({"a": 1, "b": 2})");
    v.insert(u"a"_s, "changed");
    v.insert(u"c"_s, Json::array());
    EXPECT_EQ(str(v.dump()), R"({"a": "changed", "b": 2, "c": []})");
    v.remove(u"a");
    v.remove(u"nope");
    EXPECT_EQ(str(v.dump()), R"({"b": 2, "c": []})");
    v.insert(u"a"_s, 1); // re-added at the end, as in a Python dict
    EXPECT_EQ(str(v.dump()), R"({"b": 2, "c": [], "a": 1})");

    Json fresh; // null becomes an object
    fresh.insert(u"k"_s, true);
    EXPECT_TRUE(fresh.isObject());
    EXPECT_EQ(str(fresh.dump()), R"({"k": true})");

    Json notObject(5);
    notObject.remove(u"k"); // no-op
    EXPECT_EQ(notObject.toInt(), 5);
}

TEST(JsonTest, AppendAndSize)
{
    Json a = Json::array();
    EXPECT_EQ(a.size(), 0);
    a.append(1);
    a.append("two");
    a.append(Json::object());
    EXPECT_EQ(a.size(), 3);
    EXPECT_EQ(str(a.dump()), R"([1, "two", {}])");
    EXPECT_EQ(parsed(R"({"a": 1, "b": 2})").size(), 2);
    EXPECT_EQ(Json("abc").size(), 0);
    EXPECT_EQ(Json().size(), 0);
    EXPECT_EQ(Json(3).size(), 0);
}

TEST(JsonTest, TypeAccessorsAndFallbacks)
{
    EXPECT_EQ(Json(2.9).toInt(), 2);
    EXPECT_EQ(Json(-2.9).toInt(), -2);
    EXPECT_EQ(Json(std::numeric_limits<double>::quiet_NaN()).toInt(9), 9);
    EXPECT_EQ(Json(1e300).toInt(), std::numeric_limits<qint64>::max());
    EXPECT_EQ(Json(-1e300).toInt(), std::numeric_limits<qint64>::min());
    EXPECT_EQ(Json("5").toInt(9), 9);
    EXPECT_EQ(Json(true).toInt(9), 9);
    EXPECT_DOUBLE_EQ(Json(3).toDouble(), 3.0);
    EXPECT_DOUBLE_EQ(Json("3").toDouble(1.5), 1.5);
    EXPECT_DOUBLE_EQ(Json().toDouble(1.5), 1.5);
    EXPECT_EQ(Json(5).toString(u"fb"_s), u"fb"_s);
    EXPECT_FALSE(Json("true").toBool());
    EXPECT_TRUE(Json(1).isNumber());
    EXPECT_TRUE(Json(1.0).isNumber());
    EXPECT_FALSE(Json(true).isNumber());
    EXPECT_EQ(Json(qint64(7)).type(), Json::Type::Int);
}

TEST(JsonTest, TruthinessLikePython)
{
    EXPECT_FALSE(Json().truthy());
    EXPECT_FALSE(Json(false).truthy());
    EXPECT_TRUE(Json(true).truthy());
    EXPECT_FALSE(Json(0).truthy());
    EXPECT_TRUE(Json(-1).truthy());
    EXPECT_FALSE(Json(0.0).truthy());
    EXPECT_FALSE(Json(-0.0).truthy());
    EXPECT_TRUE(Json(0.5).truthy());
    EXPECT_TRUE(Json(std::numeric_limits<double>::quiet_NaN()).truthy());
    EXPECT_TRUE(parsed("100000000000000000000").truthy());
    EXPECT_FALSE(Json("").truthy());
    EXPECT_TRUE(Json(" ").truthy());
    EXPECT_TRUE(Json("0").truthy());
    EXPECT_FALSE(Json::array().truthy());
    EXPECT_TRUE(parsed("[0]").truthy());
    EXPECT_FALSE(Json::object().truthy());
    EXPECT_TRUE(parsed("{\"a\": null}").truthy());
}

TEST(JsonTest, PythonStr)
{
    EXPECT_EQ(Json().pythonStr(), u"None"_s);
    EXPECT_EQ(Json(true).pythonStr(), u"True"_s);
    EXPECT_EQ(Json(false).pythonStr(), u"False"_s);
    EXPECT_EQ(Json(5).pythonStr(), u"5"_s);
    EXPECT_EQ(Json(-5).pythonStr(), u"-5"_s);
    EXPECT_EQ(Json(1.0).pythonStr(), u"1.0"_s);
    EXPECT_EQ(Json(1e-07).pythonStr(), u"1e-07"_s);
    EXPECT_EQ(Json(1e16).pythonStr(), u"1e+16"_s);
    EXPECT_EQ(Json(-0.0).pythonStr(), u"-0.0"_s);
    EXPECT_EQ(Json(std::numeric_limits<double>::quiet_NaN()).pythonStr(), u"nan"_s);
    EXPECT_EQ(Json(std::numeric_limits<double>::infinity()).pythonStr(), u"inf"_s);
    EXPECT_EQ(Json(-std::numeric_limits<double>::infinity()).pythonStr(), u"-inf"_s);
    EXPECT_EQ(parsed("-123456789012345678901234567890").pythonStr(), u"-123456789012345678901234567890"_s);
    EXPECT_EQ(Json(u"caf\u00e9 \"x\""_s).pythonStr(), u"caf\u00e9 \"x\""_s);
    // Containers: Python's repr, e.g. str([1, 'a', None, True, 1.0, ...]).
    const Json list = parsed(R"([1, "a", null, true, 1.0, "it's", "say \"hi\"", "b\\n\n\u007f\u00a0\u00e9\ud800", NaN,)"
                             R"( {"k": [], "j": {}}])");
    EXPECT_EQ(list.pythonStr(),
              u"[1, 'a', None, True, 1.0, \"it's\", 'say \"hi\"', 'b\\\\n\\n\\x7f\\xa0\u00e9\\ud800', nan, "
              u"{'k': [], 'j': {}}]"_s);
}

// ---------------------------------------------------------------------------------------------
// Equality

TEST(JsonTest, EqualityIsStructural)
{
    EXPECT_EQ(parsed(R"({"a": 1, "b": [1, 2, {"c": null}]})"), parsed(R"({"b": [1, 2, {"c": null}], "a": 1})"));
    EXPECT_NE(parsed("[1, 2]"), parsed("[2, 1]"));
    EXPECT_NE(parsed(R"({"a": 1})"), parsed(R"({"a": 1, "b": 2})"));
    EXPECT_NE(parsed(R"({"a": 1})"), parsed(R"({"b": 1})"));
    EXPECT_NE(parsed(R"({"a": 1})"), parsed(R"({"a": 2})"));
    EXPECT_EQ(Json(), Json(nullptr));
    EXPECT_NE(Json(), Json(false));
    EXPECT_NE(Json(""), Json());
    EXPECT_EQ(Json("x"), Json(u"x"_s));
    EXPECT_NE(Json::array(), Json::object());
    EXPECT_EQ(Json::array(), parsed("[]"));
}

TEST(JsonTest, NumbersCompareByValueLikePython)
{
    EXPECT_EQ(Json(1), Json(1.0));
    EXPECT_EQ(Json(1.0), Json(1));
    EXPECT_EQ(parsed("[1, {\"a\": 2}]"), parsed("[1.0, {\"a\": 2e0}]"));
    EXPECT_NE(Json(1), Json(1.5));
    EXPECT_EQ(Json(0), Json(-0.0));
    // Exact comparison, no rounding through double.
    EXPECT_NE(parsed("9007199254740993"), parsed("9007199254740992.0"));
    EXPECT_EQ(parsed("9007199254740992"), parsed("9007199254740992.0"));
    EXPECT_EQ(parsed("18446744073709551616"), parsed("18446744073709551616.0"));
    EXPECT_NE(parsed("18446744073709551617"), parsed("18446744073709551616.0"));
    EXPECT_EQ(parsed("100000000000000000000"), parsed("100000000000000000000"));
    EXPECT_NE(parsed("100000000000000000000"), parsed("100000000000000000001"));
    EXPECT_NE(parsed("100000000000000000000"), Json(std::numeric_limits<qint64>::max()));
    EXPECT_NE(parsed("1e400"), parsed(QByteArray(400, '9')));
    EXPECT_NE(Json(std::numeric_limits<double>::quiet_NaN()), Json(std::numeric_limits<double>::quiet_NaN()));
    EXPECT_EQ(Json(std::numeric_limits<double>::infinity()), parsed("Infinity"));
    // Booleans stay distinct from numbers (structural comparison).
    EXPECT_NE(Json(true), Json(1));
    EXPECT_NE(Json(false), Json(0.0));
}

} // namespace
} // namespace tb::core
