// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace tb::core {

/// A JSON value with the semantics of Python's `json` module, which is what the Agents SDK uses.
///
/// QJsonDocument cannot serve here: it sorts object keys, writes raw UTF-8 and loses the
/// distinction between `1` and `1.0`. The SDK stores `json.dumps(item)` text and searches that text
/// with LIKE, so a file we write must hold the same bytes the SDK would write
/// (spec sdk-sessions.md §2): keys in insertion order, `", "`/`": "` separators, every non-ASCII
/// UTF-16 unit as a lowercase `\uxxxx` escape, floats as Python `repr`, NaN/Infinity as bare words.
class Json
{
public:
    enum class Type { Null, Bool, Int, BigInt, Double, String, Array, Object };
    using Array = std::vector<Json>;
    using Member = std::pair<QString, Json>;
    using Object = std::vector<Member>;

    struct DumpOptions
    {
        bool ensureAscii = true;   // Python's ensure_ascii
        bool compact = false;      // separators (",", ":") instead of (", ", ": ")
        int indent = -1;           // >= 0: pretty print with that many spaces (item separator ",")
    };

    Json() = default;                     // null
    Json(std::nullptr_t) {}               // null
    Json(bool b) : m_type(Type::Bool), m_bool(b) {}
    Json(int i) : m_type(Type::Int), m_int(i) {}
    Json(qint64 i) : m_type(Type::Int), m_int(i) {}
    Json(double d) : m_type(Type::Double), m_double(d) {}
    Json(const QString& s) : m_type(Type::String), m_string(s) {}
    Json(QString&& s) : m_type(Type::String), m_string(std::move(s)) {}
    Json(const char* utf8) : m_type(Type::String), m_string(QString::fromUtf8(utf8)) {}
    Json(Array a) : m_type(Type::Array), m_array(std::move(a)) {}
    Json(Object o) : m_type(Type::Object), m_object(std::move(o)) {}

    static Json array() { return Json(Array{}); }
    static Json object() { return Json(Object{}); }
    /// An integer too large for 64 bits, kept as its decimal digits (Python ints are unbounded).
    static Json bigInt(const QString& digits);

    /// Parses like Python's `json.loads` (strict: raw control characters inside strings are
    /// rejected; NaN, Infinity and -Infinity accepted; duplicate keys keep the first position and
    /// the last value). Invalid UTF-8 is an error, as it is when Python decodes the column.
    static Result<Json> parse(QByteArrayView utf8);
    static Result<Json> parse(const QString& text);
    // Exact overloads: without them a QByteArray or a string literal is ambiguous between the two
    // above (QString's converting constructors stay declared, private, under QT_NO_CAST_FROM_ASCII).
    static Result<Json> parse(const QByteArray& utf8) { return parse(QByteArrayView(utf8)); }
    static Result<Json> parse(const char* utf8) { return parse(QByteArrayView(utf8)); }

    /// Serialises like Python's `json.dumps` with the given options.
    [[nodiscard]] QByteArray dump(const DumpOptions& options) const;
    [[nodiscard]] QByteArray dump() const { return dump(DumpOptions{}); }
    /// `json.dumps(value, ensure_ascii=False)` as a QString.
    [[nodiscard]] QString dumpUnicode() const;
    /// For people: indented by 2 spaces, non-ASCII kept as it is.
    [[nodiscard]] QString pretty() const;
    /// `text` indented when it is a JSON object or array (tool arguments and outputs are JSON
    /// inside a string), else unchanged.
    [[nodiscard]] static QString prettyText(const QString& text);

    [[nodiscard]] Type type() const { return m_type; }
    [[nodiscard]] bool isNull() const { return m_type == Type::Null; }
    [[nodiscard]] bool isBool() const { return m_type == Type::Bool; }
    [[nodiscard]] bool isInt() const { return m_type == Type::Int; }
    [[nodiscard]] bool isNumber() const
    {
        return m_type == Type::Int || m_type == Type::BigInt || m_type == Type::Double;
    }
    [[nodiscard]] bool isString() const { return m_type == Type::String; }
    [[nodiscard]] bool isArray() const { return m_type == Type::Array; }
    [[nodiscard]] bool isObject() const { return m_type == Type::Object; }

    [[nodiscard]] bool toBool(bool fallback = false) const { return isBool() ? m_bool : fallback; }
    /// Int as is, Double truncated, anything else `fallback`.
    [[nodiscard]] qint64 toInt(qint64 fallback = 0) const;
    [[nodiscard]] double toDouble(double fallback = 0.0) const;
    /// The string value; for other types `fallback`.
    [[nodiscard]] QString toString(const QString& fallback = {}) const { return isString() ? m_string : fallback; }
    /// Python's truthiness: null, false, 0, 0.0, "", [] and {} are false.
    [[nodiscard]] bool truthy() const;
    /// Python's `str()` of the value (`True`, `5`, `1.0`, `None`, the string itself, or the repr
    /// of a container — the latter only approximated, containers never reach it in practice).
    [[nodiscard]] QString pythonStr() const;

    [[nodiscard]] const Array& asArray() const { return m_array; }
    Array& asArray() { return m_array; }
    [[nodiscard]] const Object& asObject() const { return m_object; }
    Object& asObject() { return m_object; }

    /// Object member lookup; nullptr when absent or not an object.
    [[nodiscard]] const Json* find(QStringView key) const;
    [[nodiscard]] bool contains(QStringView key) const { return find(key) != nullptr; }
    /// Member value or null.
    [[nodiscard]] const Json& operator[](QStringView key) const;
    /// Sets a member, keeping its position if it exists, appending otherwise (Python dict order).
    void insert(const QString& key, Json value);
    /// Removes a member if present.
    void remove(QStringView key);
    void append(Json value) { m_array.push_back(std::move(value)); }
    [[nodiscard]] qsizetype size() const;

    /// Structural equality (object key order ignored, 1 == 1.0 as in Python).
    friend bool operator==(const Json& a, const Json& b);
    friend bool operator!=(const Json& a, const Json& b) { return !(a == b); }

private:
    Type m_type = Type::Null;
    bool m_bool = false;
    qint64 m_int = 0;
    double m_double = 0.0;
    QString m_string; // string value, or the digits of a BigInt
    Array m_array;
    Object m_object;
};

} // namespace tb::core
