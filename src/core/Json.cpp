// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "Json.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

namespace tb::core {

// The parser keeps values in std::vector scratch stacks; growing them must move, not copy.
static_assert(std::is_nothrow_move_constructible_v<Json> && std::is_nothrow_move_assignable_v<Json>);

namespace {

// Python gives up near 1000 levels (RecursionError). A level costs about 0.5 KiB of stack in the
// parser, so we stop at 512 to stay safe on threads with small stacks (512 KiB on macOS).
constexpr int kMaxDepth = 512;
// Python 3.11 refuses to convert longer digit strings to int (sys.get_int_max_str_digits()).
constexpr qsizetype kMaxIntDigits = 4300;
// Objects up to this size look for duplicate keys linearly; larger ones switch to a hash.
constexpr size_t kLinearKeyLimit = 16;
constexpr char kHexDigits[] = "0123456789abcdef";

// ASCII characters json.dumps always escapes: controls, the quote and the backslash.
constexpr std::array<bool, 128> kNeedsEscape = [] {
    std::array<bool, 128> table{};
    for (unsigned c = 0; c < 128; ++c)
        table[c] = c < 0x20 || c == '"' || c == '\\';
    return table;
}();

constexpr bool isDigit(unsigned c)
{
    return c >= '0' && c <= '9';
}

int hexValue(unsigned c)
{
    if (c >= '0' && c <= '9')
        return int(c - '0');
    if (c >= 'a' && c <= 'f')
        return int(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return int(c - 'A' + 10);
    return -1;
}

/// Writes Python's `repr(float)` into `buf` (at least 32 chars) and returns its length: the shortest
/// round-trip digits laid out as CPython's format_float_short() does in 'r' mode.
int formatPythonFloat(double d, char* buf, bool pythonStrSpelling = false)
{
    auto copy = [buf](const char* s) {
        const auto n = std::strlen(s);
        std::memcpy(buf, s, n);
        return int(n);
    };
    if (std::isnan(d))
        return copy(pythonStrSpelling ? "nan" : "NaN");
    if (std::isinf(d)) {
        if (pythonStrSpelling)
            return copy(d > 0 ? "inf" : "-inf");
        return copy(d > 0 ? "Infinity" : "-Infinity");
    }

    // The scientific form of the shortest representation gives the digits and the exponent.
    char sci[40];
    const auto res = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
    const char* p = sci;
    char* out = buf;
    if (*p == '-') {
        *out++ = '-';
        ++p;
    }
    char digits[24] = {};
    int nd = 0;
    while (p < res.ptr && *p != 'e') {
        if (*p != '.')
            digits[nd++] = *p;
        ++p;
    }
    ++p; // 'e'
    if (p < res.ptr && *p == '+')
        ++p; // from_chars(int) does not take a '+'
    int exp10 = 0;
    std::from_chars(p, res.ptr, exp10);
    const int decpt = exp10 + 1; // value = 0.DIGITS x 10^decpt

    if (decpt <= -4 || decpt > 16) {
        *out++ = digits[0];
        if (nd > 1) {
            *out++ = '.';
            std::memcpy(out, digits + 1, size_t(nd - 1));
            out += nd - 1;
        }
        *out++ = 'e';
        int e = decpt - 1;
        *out++ = e < 0 ? '-' : '+';
        if (e < 0)
            e = -e;
        if (e < 10)
            *out++ = '0'; // at least two exponent digits, as C's %+.02d
        out = std::to_chars(out, out + 4, e).ptr;
    } else if (decpt <= 0) {
        *out++ = '0';
        *out++ = '.';
        for (int i = 0; i < -decpt; ++i)
            *out++ = '0';
        std::memcpy(out, digits, size_t(nd));
        out += nd;
    } else if (decpt >= nd) {
        std::memcpy(out, digits, size_t(nd));
        out += nd;
        for (int i = nd; i < decpt; ++i)
            *out++ = '0';
        *out++ = '.';
        *out++ = '0';
    } else {
        std::memcpy(out, digits, size_t(decpt));
        out += decpt;
        *out++ = '.';
        std::memcpy(out, digits + decpt, size_t(nd - decpt));
        out += nd - decpt;
    }
    return int(out - buf);
}

/// Converts decimal text that matched the JSON number grammar the way Python's float() does:
/// correctly rounded, overflow to +-inf, underflow to +-0.0.
double textToDouble(const char* first, const char* last)
{
    double value = 0.0;
    const auto res = std::from_chars(first, last, value);
    if (res.ec != std::errc::result_out_of_range)
        return value;

    // from_chars leaves the value alone when out of range: the decimal exponent of the first
    // significant digit tells overflow from underflow.
    const bool negative = *first == '-';
    const char* p = first + (negative ? 1 : 0);
    while (p < last && *p == '0')
        ++p;
    long long position = 0;
    if (p < last && isDigit(*p)) {
        const char* intBegin = p;
        while (p < last && isDigit(*p))
            ++p;
        position = (p - intBegin) - 1;
    } else if (p < last && *p == '.') {
        ++p;
        const char* fracBegin = p;
        while (p < last && *p == '0')
            ++p;
        position = -((p - fracBegin) + 1);
    }
    while (p < last && (isDigit(*p) || *p == '.'))
        ++p;
    long long exponent = 0;
    if (p < last && (*p == 'e' || *p == 'E')) {
        ++p;
        bool expNegative = false;
        if (p < last && (*p == '+' || *p == '-'))
            expNegative = *p++ == '-';
        while (p < last && isDigit(*p)) {
            if (exponent < 1'000'000'000)
                exponent = exponent * 10 + (*p - '0');
            ++p;
        }
        if (expNegative)
            exponent = -exponent;
    }
    const bool overflow = position + exponent > 0;
    const double magnitude = overflow ? std::numeric_limits<double>::infinity() : 0.0;
    return negative ? -magnitude : magnitude;
}

bool isLoneSurrogateAt(const QString& s, qsizetype i)
{
    const QChar c = s.at(i);
    if (c.isHighSurrogate())
        return i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate();
    if (c.isLowSurrogate())
        return i == 0 || !s.at(i - 1).isHighSurrogate();
    return false;
}

/// Python's `repr(str)`, close enough for showing values inside containers (non-printable
/// characters beyond Latin-1 are not escaped).
void appendPythonRepr(QString& out, const QString& s)
{
    const bool doubleQuote = s.contains(u'\'') && !s.contains(u'"');
    const QChar quote = doubleQuote ? u'"' : u'\'';
    out += quote;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar ch = s.at(i);
        const char16_t c = ch.unicode();
        if (ch == quote || c == u'\\') {
            out += u'\\';
            out += ch;
        } else if (c == u'\n') {
            out += QLatin1String("\\n");
        } else if (c == u'\r') {
            out += QLatin1String("\\r");
        } else if (c == u'\t') {
            out += QLatin1String("\\t");
        } else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) {
            out += QLatin1String("\\x");
            out += QLatin1Char(kHexDigits[c >> 4]);
            out += QLatin1Char(kHexDigits[c & 0xf]);
        } else if (isLoneSurrogateAt(s, i)) {
            out += QLatin1String("\\u");
            for (int shift = 12; shift >= 0; shift -= 4)
                out += QLatin1Char(kHexDigits[(c >> shift) & 0xf]);
        } else {
            out += ch;
        }
    }
    out += quote;
}

void appendPythonRepr(QString& out, const Json& v)
{
    switch (v.type()) {
    case Json::Type::String:
        appendPythonRepr(out, v.toString());
        return;
    case Json::Type::Array: {
        out += u'[';
        bool first = true;
        for (const Json& item : v.asArray()) {
            if (!first)
                out += QLatin1String(", ");
            first = false;
            appendPythonRepr(out, item);
        }
        out += u']';
        return;
    }
    case Json::Type::Object: {
        out += u'{';
        bool first = true;
        for (const auto& [key, value] : v.asObject()) {
            if (!first)
                out += QLatin1String(", ");
            first = false;
            appendPythonRepr(out, key);
            out += QLatin1String(": ");
            appendPythonRepr(out, value);
        }
        out += u'}';
        return;
    }
    default:
        out += v.pythonStr();
        return;
    }
}

// ----------------------------------------------------------------------------------------------
// Serialiser

/// Writes `json.dumps` output into a std::basic_string of bytes (UTF-8) or UTF-16 units.
template<typename Ch>
class Writer
{
public:
    Writer(const Json::DumpOptions& options)
        : m_options(options)
    {}

    void writeValue(const Json& v, int level)
    {
        switch (v.type()) {
        case Json::Type::Null:
            putAscii("null", 4);
            return;
        case Json::Type::Bool:
            if (v.toBool()) {
                putAscii("true", 4);
            } else {
                putAscii("false", 5);
            }
            return;
        case Json::Type::Int: {
            char buf[24];
            const auto res = std::to_chars(buf, buf + sizeof buf, v.toInt());
            putAscii(buf, size_t(res.ptr - buf));
            return;
        }
        case Json::Type::BigInt: {
            const QString digits = v.pythonStr();
            Ch* d = reserve(size_t(digits.size()));
            for (const QChar c : digits)
                *d++ = Ch(c.unicode());
            return;
        }
        case Json::Type::Double: {
            char buf[40];
            putAscii(buf, size_t(formatPythonFloat(v.toDouble(), buf)));
            return;
        }
        case Json::Type::String:
            writeString(v.toString());
            return;
        case Json::Type::Array:
            writeArray(v.asArray(), level);
            return;
        case Json::Type::Object:
            writeObject(v.asObject(), level);
            return;
        }
    }

    std::basic_string<Ch>& result()
    {
        m_out.resize(m_length);
        return m_out;
    }

private:
    // Output goes through a pointer into a pre-grown buffer: std::string::push_back per character
    // was the largest cost of dumping.
    Ch* reserve(size_t n)
    {
        if (m_length + n > m_out.size())
            grow(n);
        Ch* d = m_out.data() + m_length;
        m_length += n;
        return d;
    }

    Q_DECL_COLD_FUNCTION void grow(size_t n) { m_out.resize(std::max(m_out.size() * 2, m_length + n + 256)); }

    void putAscii(const char* s, size_t n)
    {
        Ch* d = reserve(n);
        if constexpr (std::is_same_v<Ch, char>) {
            std::memcpy(d, s, n);
        } else {
            for (size_t i = 0; i < n; ++i)
                d[i] = Ch(static_cast<unsigned char>(s[i]));
        }
    }

    void put(char c) { *reserve(1) = Ch(c); }

    void newline(int level)
    {
        put('\n');
        const size_t n = size_t(level) * size_t(m_options.indent);
        std::fill_n(reserve(n), n, Ch(' '));
    }

    void itemSeparator(int level)
    {
        put(',');
        if (m_options.indent >= 0) {
            newline(level);
        } else if (!m_options.compact) {
            put(' ');
        }
    }

    void writeArray(const Json::Array& array, int level)
    {
        if (array.empty()) {
            putAscii("[]", 2);
            return;
        }
        put('[');
        if (m_options.indent >= 0)
            newline(level + 1);
        bool first = true;
        for (const Json& item : array) {
            if (!first)
                itemSeparator(level + 1);
            first = false;
            writeValue(item, level + 1);
        }
        if (m_options.indent >= 0)
            newline(level);
        put(']');
    }

    void writeObject(const Json::Object& object, int level)
    {
        if (object.empty()) {
            putAscii("{}", 2);
            return;
        }
        put('{');
        if (m_options.indent >= 0)
            newline(level + 1);
        bool first = true;
        for (const auto& [key, value] : object) {
            if (!first)
                itemSeparator(level + 1);
            first = false;
            writeString(key);
            put(':');
            if (!m_options.compact)
                put(' ');
            writeValue(value, level + 1);
        }
        if (m_options.indent >= 0)
            newline(level);
        put('}');
    }

    void putEscape(char16_t c)
    {
        put('\\');
        put('u');
        put(kHexDigits[(c >> 12) & 0xf]);
        put(kHexDigits[(c >> 8) & 0xf]);
        put(kHexDigits[(c >> 4) & 0xf]);
        put(kHexDigits[c & 0xf]);
    }

    // Python's py_encode_basestring(_ascii): short escapes for the usual five controls, \u00xx for
    // the rest below 0x20; with ensure_ascii everything outside ' '..'~' too (DEL included).
    void writeString(const QString& s)
    {
        put('"');
        const auto* p = reinterpret_cast<const char16_t*>(s.constData());
        const char16_t* const end = p + s.size();
        const bool ascii = m_options.ensureAscii;
        while (p < end) {
            // Copy the run of characters that need no escaping in one go.
            const char16_t* const run = p;
            if (ascii || !std::is_same_v<Ch, char16_t>) {
                while (p < end && *p < 0x7f && !kNeedsEscape[*p])
                    ++p;
            } else {
                while (p < end && (*p >= 0x7f || !kNeedsEscape[*p]))
                    ++p;
            }
            if (p > run)
                appendPlain(run, p);
            if (p == end)
                break;

            const char16_t c = *p;
            switch (c) {
            case u'"':
                putAscii("\\\"", 2);
                break;
            case u'\\':
                putAscii("\\\\", 2);
                break;
            case u'\n':
                putAscii("\\n", 2);
                break;
            case u'\r':
                putAscii("\\r", 2);
                break;
            case u'\t':
                putAscii("\\t", 2);
                break;
            case u'\b':
                putAscii("\\b", 2);
                break;
            case u'\f':
                putAscii("\\f", 2);
                break;
            default:
                if (c < 0x20 || ascii) {
                    // UTF-16 units are exactly what Python writes for astral chars (surrogate pairs).
                    putEscape(c);
                } else if constexpr (std::is_same_v<Ch, char>) {
                    appendUtf8(p, end);
                }
                break;
            }
            ++p;
        }
        put('"');
    }

    // A run of printable ASCII (or, for UTF-16 output without ensure_ascii, of any unescaped units).
    void appendPlain(const char16_t* first, const char16_t* last)
    {
        Ch* d = reserve(size_t(last - first));
        if constexpr (std::is_same_v<Ch, char>) {
            for (; first < last; ++first)
                *d++ = char(*first);
        } else {
            std::memcpy(d, first, size_t(last - first) * sizeof(char16_t));
        }
    }

    // Raw (ensure_ascii=False) output as UTF-8. A lone surrogate cannot be encoded (Python would
    // raise on encoding); it becomes U+FFFD.
    void appendUtf8(const char16_t*& p, const char16_t* end)
    {
        char32_t cp = *p;
        if (cp < 0x80) {
            put(char(cp));
            return;
        }
        if (QChar::isHighSurrogate(cp) && p + 1 < end && QChar::isLowSurrogate(p[1])) {
            cp = QChar::surrogateToUcs4(char16_t(cp), p[1]);
            ++p;
        } else if (QChar::isSurrogate(cp)) {
            cp = 0xfffd;
        }
        if (cp < 0x800) {
            put(char(0xc0 | (cp >> 6)));
            put(char(0x80 | (cp & 0x3f)));
        } else if (cp < 0x10000) {
            put(char(0xe0 | (cp >> 12)));
            put(char(0x80 | ((cp >> 6) & 0x3f)));
            put(char(0x80 | (cp & 0x3f)));
        } else {
            put(char(0xf0 | (cp >> 18)));
            put(char(0x80 | ((cp >> 12) & 0x3f)));
            put(char(0x80 | ((cp >> 6) & 0x3f)));
            put(char(0x80 | (cp & 0x3f)));
        }
    }

    const Json::DumpOptions& m_options;
    std::basic_string<Ch> m_out;
    size_t m_length = 0; // bytes/units written; m_out.size() is the capacity in use
};

// ----------------------------------------------------------------------------------------------
// Parser

// Bytes that end the fast scan of a string: the quote, backslash, controls and non-ASCII.
constexpr std::array<bool, 256> kStringStop = [] {
    std::array<bool, 256> table{};
    for (unsigned c = 0; c < 256; ++c)
        table[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    return table;
}();

/// Containers are collected on these per-thread stacks and moved into exactly sized vectors when
/// they close, so a container costs one allocation and the stacks' memory is reused across parses.
struct ParseScratch
{
    std::vector<Json> items;
    std::vector<Json::Member> members;
    bool busy = false;

    void reset()
    {
        items.clear();
        members.clear();
        // Do not keep the memory of one huge document for the rest of the thread's life.
        if (items.capacity() > 4096)
            std::vector<Json>().swap(items);
        if (members.capacity() > 4096)
            std::vector<Json::Member>().swap(members);
        busy = false;
    }
};

/// Short ASCII strings repeat in every item (keys such as "type", values such as "assistant"); a
/// small per-thread cache hands out shared copies instead of allocating each one again.
class ShortStringCache
{
public:
    static constexpr qsizetype kMaxLength = 32;

    template<typename Ch>
    QString get(const Ch* s, qsizetype n)
    {
        quint32 hash = 2166136261U; // FNV-1a
        for (qsizetype i = 0; i < n; ++i)
            hash = (hash ^ quint32(s[i])) * 16777619U;
        QString& slot = m_slots[hash & (kSlots - 1)];
        if (slot.size() == n && !slot.isNull()) {
            const QChar* chars = slot.constData();
            qsizetype i = 0;
            while (i < n && chars[i].unicode() == char16_t(s[i]))
                ++i;
            if (i == n)
                return slot;
        }
        if constexpr (std::is_same_v<Ch, char>) {
            slot = QString::fromLatin1(s, n);
        } else {
            slot = QString(reinterpret_cast<const QChar*>(s), n);
        }
        return slot;
    }

private:
    static constexpr quint32 kSlots = 512;
    std::array<QString, kSlots> m_slots;
};

/// Recursive-descent parser following CPython's C scanner (Modules/_json.c) over UTF-8 bytes
/// (Ch = char) or UTF-16 units (Ch = char16_t). Error messages are those of json.JSONDecodeError.
template<typename Ch>
class Parser
{
public:
    Parser(const Ch* begin, const Ch* end, ParseScratch& scratch, ShortStringCache& cache)
        : m_begin(begin)
        , m_p(begin)
        , m_end(end)
        , m_scratch(scratch)
        , m_cache(cache)
    {}

    Result<Json> run()
    {
        if (startsWithBom()) {
            fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", m_begin);
            return makeError();
        }
        skipWhitespace();
        Json value = parseValue(0);
        if (m_failed)
            return makeError();
        skipWhitespace();
        if (m_p != m_end) {
            fail("Extra data", m_p);
            return makeError();
        }
        return value;
    }

private:
    static unsigned unit(Ch c) { return static_cast<std::make_unsigned_t<Ch>>(c); }
    unsigned cur() const { return unit(*m_p); }
    static bool stopsScan(unsigned c)
    {
        if constexpr (std::is_same_v<Ch, char>) {
            return kStringStop[c];
        } else {
            return c >= 0x80 || kStringStop[c];
        }
    }

    bool startsWithBom() const
    {
        if constexpr (std::is_same_v<Ch, char>) {
            return m_end - m_begin >= 3 && unit(m_begin[0]) == 0xef && unit(m_begin[1]) == 0xbb
                   && unit(m_begin[2]) == 0xbf;
        } else {
            return m_begin < m_end && *m_begin == 0xfeff;
        }
    }

    void skipWhitespace()
    {
        while (m_p < m_end) {
            const unsigned c = cur();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_p;
        }
    }

    void setError(QString message, const Ch* position)
    {
        m_failed = true;
        m_message = std::move(message);
        m_position = position;
    }

    Json fail(const char* message, const Ch* position)
    {
        setError(QString::fromLatin1(message), position);
        return {};
    }

    bool failString(const char* message, const Ch* position)
    {
        setError(QString::fromLatin1(message), position);
        return false;
    }

    /// "<msg>: line L column C (char N)" with Python's counting (code points, 1-based line/column).
    Error makeError() const
    {
        if (!m_position)
            return Error::make(Error::Code::Format, m_message);
        qsizetype chars = 0;
        qsizetype line = 1;
        qsizetype lastNewline = -1; // char index of the last '\n' before the position
        for (const Ch* p = m_begin; p < m_position; ++p) {
            const unsigned c = unit(*p);
            if constexpr (std::is_same_v<Ch, char>) {
                if ((c & 0xc0) == 0x80)
                    continue; // continuation byte: same code point
            } else {
                if (QChar::isLowSurrogate(c) && p > m_begin && QChar::isHighSurrogate(unit(p[-1])))
                    continue;
            }
            if (c == '\n') {
                ++line;
                lastNewline = chars;
            }
            ++chars;
        }
        const qsizetype column = chars - lastNewline;
        return Error::make(Error::Code::Format,
                           m_message
                               + QStringLiteral(": line %1 column %2 (char %3)").arg(line).arg(column).arg(chars));
    }

    bool matchLiteral(const char* word)
    {
        const auto n = std::strlen(word);
        if (size_t(m_end - m_p) < n)
            return false;
        for (size_t i = 0; i < n; ++i) {
            if (unit(m_p[i]) != static_cast<unsigned char>(word[i]))
                return false;
        }
        m_p += n;
        return true;
    }

    // Values are returned by value (constructed in place); on failure m_failed is set and the
    // returned null is ignored.
    Json parseValue(int depth)
    {
        if (m_p == m_end)
            return fail("Expecting value", m_p);
        switch (cur()) {
        case '"': {
            QString s;
            if (!parseString(s))
                return {};
            return Json(std::move(s));
        }
        case '{':
            return parseObject(depth);
        case '[':
            return parseArray(depth);
        case 'n':
            if (matchLiteral("null"))
                return Json();
            break;
        case 't':
            if (matchLiteral("true"))
                return Json(true);
            break;
        case 'f':
            if (matchLiteral("false"))
                return Json(false);
            break;
        case 'N':
            if (matchLiteral("NaN"))
                return Json(std::numeric_limits<double>::quiet_NaN());
            break;
        case 'I':
            if (matchLiteral("Infinity"))
                return Json(std::numeric_limits<double>::infinity());
            break;
        case '-':
            if (matchLiteral("-Infinity"))
                return Json(-std::numeric_limits<double>::infinity());
            return parseNumber();
        default:
            if (isDigit(cur()))
                return parseNumber();
            break;
        }
        return fail("Expecting value", m_p);
    }

    Json parseNumber()
    {
        const Ch* const start = m_p;
        const Ch* p = m_p;
        const bool negative = unit(*p) == '-';
        if (negative)
            ++p;
        if (p == m_end || !isDigit(unit(*p)))
            return fail("Expecting value", start);
        const Ch* const digitsBegin = p;
        if (unit(*p) == '0') {
            ++p; // no leading zeros: "01" is 0 followed by extra data
        } else {
            while (p < m_end && isDigit(unit(*p)))
                ++p;
        }
        const Ch* const digitsEnd = p;
        bool isFloat = false;
        // Like Python, a '.' or 'e' not followed by digits is not part of the number.
        if (m_end - p >= 2 && unit(*p) == '.' && isDigit(unit(p[1]))) {
            p += 2;
            while (p < m_end && isDigit(unit(*p)))
                ++p;
            isFloat = true;
        }
        if (p < m_end && (unit(*p) == 'e' || unit(*p) == 'E')) {
            const Ch* q = p + 1;
            if (q < m_end && (unit(*q) == '+' || unit(*q) == '-'))
                ++q;
            if (q < m_end && isDigit(unit(*q))) {
                while (q < m_end && isDigit(unit(*q)))
                    ++q;
                p = q;
                isFloat = true;
            }
        }
        m_p = p;

        if (!isFloat) {
            const qsizetype digitCount = digitsEnd - digitsBegin;
            if (digitCount > kMaxIntDigits) {
                setError(QStringLiteral("Exceeds the limit (%1 digits) for integer string conversion: "
                                        "value has %2 digits; use sys.set_int_max_str_digits() to increase the limit")
                             .arg(kMaxIntDigits)
                             .arg(digitCount),
                         start);
                return {};
            }
            // Accumulate as a negative number so that the qint64 minimum fits.
            constexpr qint64 kMin = std::numeric_limits<qint64>::min();
            qint64 value = 0;
            bool overflow = false;
            for (const Ch* d = digitsBegin; d < digitsEnd; ++d) {
                const int digit = int(unit(*d) - '0');
                if (value < (kMin + digit) / 10) {
                    overflow = true;
                    break;
                }
                value = value * 10 - digit;
            }
            if (!overflow && !negative && value == kMin)
                overflow = true;
            if (!overflow)
                return Json(negative ? value : -value); // "-0" is int 0, as in Python
            QString digits(qsizetype(digitsEnd - start), Qt::Uninitialized);
            QChar* w = digits.data();
            for (const Ch* d = start; d < digitsEnd; ++d)
                *w++ = QChar(char16_t(unit(*d)));
            return Json::bigInt(digits);
        }

        if constexpr (std::is_same_v<Ch, char>) {
            return Json(textToDouble(start, p));
        } else {
            std::string text(size_t(p - start), '\0');
            for (size_t i = 0; i < text.size(); ++i)
                text[i] = char(unit(start[i]));
            return Json(textToDouble(text.data(), text.data() + text.size()));
        }
    }

    /// Length of the valid UTF-8 sequence at `p` (strict, as Python's decoder), or 0.
    size_t utf8SequenceLength(const Ch* p) const
    {
        const unsigned b0 = unit(*p);
        const auto avail = size_t(m_end - p);
        auto cont = [&](size_t i, unsigned lo = 0x80, unsigned hi = 0xbf) {
            if (i >= avail)
                return false;
            const unsigned b = unit(p[i]);
            return b >= lo && b <= hi;
        };
        if (b0 >= 0xc2 && b0 <= 0xdf)
            return cont(1) ? 2 : 0;
        if (b0 >= 0xe0 && b0 <= 0xef) {
            // E0 excludes overlong forms, ED excludes UTF-16 surrogates.
            const unsigned lo = b0 == 0xe0 ? 0xa0 : 0x80;
            const unsigned hi = b0 == 0xed ? 0x9f : 0xbf;
            return cont(1, lo, hi) && cont(2) ? 3 : 0;
        }
        if (b0 >= 0xf0 && b0 <= 0xf4) {
            const unsigned lo = b0 == 0xf0 ? 0x90 : 0x80;
            const unsigned hi = b0 == 0xf4 ? 0x8f : 0xbf;
            return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
        }
        return 0;
    }

    bool parseString(QString& out)
    {
        const Ch* const open = m_p;
        const Ch* const begin = m_p + 1;
        const Ch* p = begin;

        // Fast path: plain ASCII up to the closing quote.
        while (p < m_end && !stopsScan(unit(*p)))
            ++p;
        if (p < m_end && unit(*p) == '"') {
            const auto length = qsizetype(p - begin);
            m_p = p + 1;
            if (length <= ShortStringCache::kMaxLength && length > 0) {
                out = m_cache.get(begin, length);
            } else if constexpr (std::is_same_v<Ch, char>) {
                out = QString::fromLatin1(begin, length);
            } else {
                out = QString(reinterpret_cast<const QChar*>(begin), length);
            }
            return true;
        }

        // Pass 1: find the closing quote and validate everything, so pass 2 can copy blindly.
        bool escapes = false;
        for (;;) {
            if (p == m_end)
                return failString("Unterminated string starting at", open);
            const unsigned c = unit(*p);
            if (c == '"')
                break;
            if (c == '\\') {
                escapes = true;
                if (p + 1 == m_end)
                    return failString("Unterminated string starting at", open);
                switch (unit(p[1])) {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    p += 2;
                    continue;
                case 'u':
                    if (m_end - p < 6 || hexValue(unit(p[2])) < 0 || hexValue(unit(p[3])) < 0
                        || hexValue(unit(p[4])) < 0 || hexValue(unit(p[5])) < 0) {
                        return failString("Invalid \\uXXXX escape", p + 1);
                    }
                    p += 6;
                    continue;
                default:
                    return failString("Invalid \\escape", p);
                }
            }
            if (c < 0x20)
                return failString("Invalid control character at", p);
            if constexpr (std::is_same_v<Ch, char>) {
                if (c >= 0x80) {
                    const size_t n = utf8SequenceLength(p);
                    if (n == 0) {
                        // Python fails earlier, when decoding the column, so there is no JSON position.
                        setError(QStringLiteral("Invalid UTF-8 byte 0x%1 at byte offset %2")
                                     .arg(c, 2, 16, QLatin1Char('0'))
                                     .arg(qint64(p - m_begin)),
                                 nullptr);
                        return false;
                    }
                    p += n;
                    continue;
                }
            }
            ++p;
        }
        const Ch* const close = p;
        m_p = close + 1;
        const auto length = qsizetype(close - begin);

        // Pass 2: build the QString. Not with QString::fromUtf8(): it drops a leading U+FEFF, which
        // is part of the string for Python.
        if constexpr (std::is_same_v<Ch, char16_t>) {
            if (!escapes) {
                out = QString(reinterpret_cast<const QChar*>(begin), length);
                return true;
            }
        }
        // UTF-16 never needs more units than the source has bytes/units.
        out.resize(length);
        auto* const wbegin = reinterpret_cast<char16_t*>(out.data());
        char16_t* w = wbegin;
        for (p = begin; p < close;) {
            const unsigned c = unit(*p);
            if (c == '\\') {
                const unsigned e = unit(p[1]);
                switch (e) {
                case 'b':
                    *w++ = u'\b';
                    break;
                case 'f':
                    *w++ = u'\f';
                    break;
                case 'n':
                    *w++ = u'\n';
                    break;
                case 'r':
                    *w++ = u'\r';
                    break;
                case 't':
                    *w++ = u'\t';
                    break;
                case 'u':
                    // A surrogate pair written as two escapes is already the right two UTF-16 units;
                    // a lone surrogate stays a lone unit as in Python.
                    *w++ = char16_t((hexValue(unit(p[2])) << 12) | (hexValue(unit(p[3])) << 8)
                                    | (hexValue(unit(p[4])) << 4) | hexValue(unit(p[5])));
                    p += 6;
                    continue;
                default: // " \ /
                    *w++ = char16_t(e);
                    break;
                }
                p += 2;
                continue;
            }
            if constexpr (std::is_same_v<Ch, char>) {
                if (c < 0x80) {
                    *w++ = char16_t(c);
                    ++p;
                } else if (c < 0xe0) {
                    *w++ = char16_t(((c & 0x1f) << 6) | (unit(p[1]) & 0x3f));
                    p += 2;
                } else if (c < 0xf0) {
                    *w++ = char16_t(((c & 0x0f) << 12) | ((unit(p[1]) & 0x3f) << 6) | (unit(p[2]) & 0x3f));
                    p += 3;
                } else {
                    const char32_t cp = ((c & 0x07) << 18) | ((unit(p[1]) & 0x3f) << 12) | ((unit(p[2]) & 0x3f) << 6)
                                        | (unit(p[3]) & 0x3f);
                    *w++ = QChar::highSurrogate(cp);
                    *w++ = QChar::lowSurrogate(cp);
                    p += 4;
                }
            } else {
                *w++ = char16_t(c);
                ++p;
            }
        }
        out.truncate(qsizetype(w - wbegin));
        return true;
    }

    Json failDepth()
    {
        setError(QStringLiteral("Nesting deeper than %1 levels").arg(kMaxDepth), m_p);
        return {};
    }

    Json parseArray(int depth)
    {
        if (depth >= kMaxDepth)
            return failDepth();
        ++m_p; // '['
        skipWhitespace();
        if (m_p < m_end && cur() == ']') {
            ++m_p;
            return Json::array();
        }
        std::vector<Json>& stack = m_scratch.items;
        const size_t base = stack.size();
        for (;;) {
            stack.push_back(parseValue(depth + 1));
            if (m_failed)
                return {};
            skipWhitespace();
            if (m_p < m_end && cur() == ']') {
                ++m_p;
                break;
            }
            if (m_p == m_end || cur() != ',')
                return fail("Expecting ',' delimiter", m_p);
            ++m_p;
            skipWhitespace();
        }
        const auto first = stack.begin() + std::ptrdiff_t(base);
        Json::Array items(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
        stack.erase(first, stack.end());
        return Json(std::move(items));
    }

    Json parseObject(int depth)
    {
        if (depth >= kMaxDepth)
            return failDepth();
        ++m_p; // '{'
        skipWhitespace();
        if (m_p < m_end && cur() == '}') {
            ++m_p;
            return Json::object();
        }
        std::vector<Json::Member>& stack = m_scratch.members;
        const size_t base = stack.size();
        QHash<QString, size_t> index; // only filled for large objects
        for (;;) {
            if (m_p == m_end || cur() != '"')
                return fail("Expecting property name enclosed in double quotes", m_p);
            QString key;
            if (!parseString(key))
                return {};
            skipWhitespace();
            if (m_p == m_end || cur() != ':')
                return fail("Expecting ':' delimiter", m_p);
            ++m_p;
            skipWhitespace();
            Json value = parseValue(depth + 1);
            if (m_failed)
                return {};
            addMember(stack, base, index, std::move(key), std::move(value));
            skipWhitespace();
            if (m_p < m_end && cur() == '}') {
                ++m_p;
                break;
            }
            if (m_p == m_end || cur() != ',')
                return fail("Expecting ',' delimiter", m_p);
            ++m_p;
            skipWhitespace();
        }
        const auto first = stack.begin() + std::ptrdiff_t(base);
        Json::Object members(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
        stack.erase(first, stack.end());
        return Json(std::move(members));
    }

    // Python dict semantics for duplicate keys: the first occurrence keeps its position, the last value wins.
    static void addMember(std::vector<Json::Member>& stack, size_t base, QHash<QString, size_t>& index, QString&& key,
                          Json&& value)
    {
        if (index.isEmpty()) {
            for (size_t i = base; i < stack.size(); ++i) {
                if (stack[i].first == key) {
                    stack[i].second = std::move(value);
                    return;
                }
            }
            stack.emplace_back(std::move(key), std::move(value));
            if (stack.size() - base > kLinearKeyLimit) {
                for (size_t i = base; i < stack.size(); ++i)
                    index.insert(stack[i].first, i);
            }
            return;
        }
        const auto it = index.constFind(key);
        if (it != index.cend()) {
            stack[it.value()].second = std::move(value);
            return;
        }
        index.insert(key, stack.size());
        stack.emplace_back(std::move(key), std::move(value));
    }

    const Ch* const m_begin;
    const Ch* m_p;
    const Ch* const m_end;
    ParseScratch& m_scratch;
    ShortStringCache& m_cache;
    bool m_failed = false;
    QString m_message;
    const Ch* m_position = nullptr;
};

template<typename Ch>
Result<Json> parseText(const Ch* begin, const Ch* end)
{
    thread_local ParseScratch scratch;
    thread_local ShortStringCache cache;
    if (scratch.busy) { // cannot happen today (no callbacks), but stay correct if it ever does
        ParseScratch own;
        return Parser<Ch>(begin, end, own, cache).run();
    }
    scratch.busy = true;
    Result<Json> result = Parser<Ch>(begin, end, scratch, cache).run();
    scratch.reset();
    return result;
}

bool numbersEqual(const Json& a, const Json& b)
{
    const auto ta = a.type();
    const auto tb = b.type();
    if (ta == Json::Type::Int && tb == Json::Type::Int)
        return a.toInt() == b.toInt();
    if (ta == Json::Type::Double && tb == Json::Type::Double)
        return a.toDouble() == b.toDouble();
    if (ta == Json::Type::BigInt && tb == Json::Type::BigInt)
        return a.pythonStr() == b.pythonStr();
    if (ta == Json::Type::Double)
        return numbersEqual(b, a);
    if (tb != Json::Type::Double)
        return false; // Int vs BigInt: a BigInt never fits in 64 bits

    // Integer vs float: exact comparison, as Python does (no rounding through double).
    const double d = b.toDouble();
    if (!std::isfinite(d) || d != std::trunc(d))
        return false;
    constexpr double kTwo63 = 9223372036854775808.0;
    if (ta == Json::Type::Int) {
        if (d >= kTwo63 || d < -kTwo63)
            return false;
        return qint64(d) == a.toInt();
    }
    if (d < kTwo63 && d >= -kTwo63)
        return false;
    char buf[400];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0); // exact digits
    return a.pythonStr() == QLatin1String(buf, res.ptr - buf);
}

} // namespace

Json Json::bigInt(const QString& digits)
{
    // Normalised as Python's int(): optional sign, leading zeros dropped, "-0" is 0; values that fit
    // in 64 bits become Int so comparisons stay simple. Text that is not an integer gives null.
    qsizetype i = 0;
    bool negative = false;
    if (i < digits.size() && (digits.at(i) == u'-' || digits.at(i) == u'+')) {
        negative = digits.at(i) == u'-';
        ++i;
    }
    if (i == digits.size())
        return {};
    for (qsizetype k = i; k < digits.size(); ++k) {
        if (digits.at(k) < u'0' || digits.at(k) > u'9')
            return {};
    }
    while (i < digits.size() - 1 && digits.at(i) == u'0')
        ++i;
    const QString magnitude = digits.mid(i);
    const QString text = negative ? u'-' + magnitude : magnitude;
    if (magnitude.size() <= 19) {
        const QByteArray latin = text.toLatin1();
        qint64 value = 0;
        const auto res = std::from_chars(latin.constData(), latin.constData() + latin.size(), value);
        if (res.ec == std::errc() && res.ptr == latin.constData() + latin.size())
            return Json(value);
    }
    Json result;
    result.m_type = Type::BigInt;
    result.m_string = text;
    return result;
}

Result<Json> Json::parse(QByteArrayView utf8)
{
    return parseText(utf8.data(), utf8.data() + utf8.size());
}

Result<Json> Json::parse(const QString& text)
{
    const auto* begin = reinterpret_cast<const char16_t*>(text.constData());
    return parseText(begin, begin + text.size());
}

QByteArray Json::dump(const DumpOptions& options) const
{
    Writer<char> writer(options);
    writer.writeValue(*this, 0);
    const std::string& out = writer.result();
    return QByteArray(out.data(), qsizetype(out.size()));
}

QString Json::pretty() const
{
    DumpOptions options;
    options.ensureAscii = false;
    options.indent = 2;
    return QString::fromUtf8(dump(options));
}

QString Json::prettyText(const QString& text)
{
    auto parsed = parse(text);
    if (parsed && (parsed->isObject() || parsed->isArray()))
        return parsed->pretty();
    return text;
}

QString Json::dumpUnicode() const
{
    DumpOptions options;
    options.ensureAscii = false;
    Writer<char16_t> writer(options);
    writer.writeValue(*this, 0);
    const std::u16string& out = writer.result();
    return QString(reinterpret_cast<const QChar*>(out.data()), qsizetype(out.size()));
}

qint64 Json::toInt(qint64 fallback) const
{
    if (m_type == Type::Int)
        return m_int;
    if (m_type == Type::Double) {
        if (std::isnan(m_double))
            return fallback;
        constexpr double kTwo63 = 9223372036854775808.0;
        if (m_double >= kTwo63)
            return std::numeric_limits<qint64>::max();
        if (m_double < -kTwo63)
            return std::numeric_limits<qint64>::min();
        return qint64(m_double); // truncates toward zero, as Python's int(float)
    }
    return fallback;
}

double Json::toDouble(double fallback) const
{
    switch (m_type) {
    case Type::Int:
        return double(m_int);
    case Type::Double:
        return m_double;
    case Type::BigInt: {
        const QByteArray latin = m_string.toLatin1();
        return textToDouble(latin.constData(), latin.constData() + latin.size());
    }
    default:
        return fallback;
    }
}

bool Json::truthy() const
{
    switch (m_type) {
    case Type::Null:
        return false;
    case Type::Bool:
        return m_bool;
    case Type::Int:
        return m_int != 0;
    case Type::BigInt:
        return true; // never zero: zero fits in 64 bits
    case Type::Double:
        return m_double != 0.0; // NaN is truthy in Python too
    case Type::String:
        return !m_string.isEmpty();
    case Type::Array:
        return !m_array.empty();
    case Type::Object:
        return !m_object.empty();
    }
    return false;
}

QString Json::pythonStr() const
{
    switch (m_type) {
    case Type::Null:
        return QStringLiteral("None");
    case Type::Bool:
        return m_bool ? QStringLiteral("True") : QStringLiteral("False");
    case Type::Int:
        return QString::number(m_int);
    case Type::BigInt:
        return m_string;
    case Type::Double: {
        char buf[40];
        return QString::fromLatin1(buf, formatPythonFloat(m_double, buf, true));
    }
    case Type::String:
        return m_string;
    case Type::Array:
    case Type::Object: {
        QString out;
        appendPythonRepr(out, *this);
        return out;
    }
    }
    return {};
}

const Json* Json::find(QStringView key) const
{
    if (m_type != Type::Object)
        return nullptr;
    for (const auto& member : m_object) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

const Json& Json::operator[](QStringView key) const
{
    static const Json null;
    const Json* value = find(key);
    return value ? *value : null;
}

void Json::insert(const QString& key, Json value)
{
    if (m_type != Type::Object)
        *this = Json(Object{}); // a non-object becomes an empty object, as assigning a dict would
    for (auto& member : m_object) {
        if (member.first == key) {
            member.second = std::move(value);
            return;
        }
    }
    m_object.emplace_back(key, std::move(value));
}

void Json::remove(QStringView key)
{
    if (m_type != Type::Object)
        return;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (it->first == key) {
            m_object.erase(it);
            return;
        }
    }
}

qsizetype Json::size() const
{
    if (m_type == Type::Array)
        return qsizetype(m_array.size());
    if (m_type == Type::Object)
        return qsizetype(m_object.size());
    return 0;
}

bool operator==(const Json& a, const Json& b)
{
    if (a.isNumber() && b.isNumber())
        return numbersEqual(a, b);
    if (a.m_type != b.m_type)
        return false;
    switch (a.m_type) {
    case Json::Type::Null:
        return true;
    case Json::Type::Bool:
        return a.m_bool == b.m_bool;
    case Json::Type::String:
        return a.m_string == b.m_string;
    case Json::Type::Array:
        return a.m_array == b.m_array;
    case Json::Type::Object: {
        if (a.m_object.size() != b.m_object.size())
            return false;
        return std::all_of(a.m_object.cbegin(), a.m_object.cend(), [&b](const Json::Member& member) {
            const Json* other = b.find(member.first);
            return other != nullptr && *other == member.second;
        });
    }
    default:
        return false; // numbers handled above
    }
}

} // namespace tb::core
