// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

// GoogleTest printers for Qt and core types, so failed expectations show readable values.

#include "core/Json.h"

#include <QByteArray>
#include <QString>

#include <ostream>

inline void PrintTo(const QString& s, std::ostream* os)
{
    *os << '"' << s.toStdString() << '"';
}

inline void PrintTo(const QByteArray& b, std::ostream* os)
{
    *os << '"' << b.toStdString() << '"';
}

namespace tb::core {
inline void PrintTo(const Json& j, std::ostream* os)
{
    *os << j.dump().toStdString();
}
} // namespace tb::core
