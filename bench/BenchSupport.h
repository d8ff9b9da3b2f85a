// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QByteArray>
#include <QFile>

namespace tb::bench {

/// Peak resident set size of this process in KiB (VmHWM), or -1 where /proc is missing.
inline qint64 peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace tb::bench
