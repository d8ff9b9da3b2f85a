// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "TextTable.h"

#include <algorithm>

namespace tb::app {

QString TextTable::render() const
{
    QList<qsizetype> widths;
    for (const QString& h : m_headers)
        widths << h.size();
    for (const QStringList& row : m_rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    auto line = [&](const QStringList& cells) -> QString {
        QString out;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            const QString cell = i < cells.size() ? cells.at(i) : QString();
            const bool last = i + 1 == widths.size();
            if (m_right.contains(int(i)))
                out += cell.rightJustified(widths.at(i));
            else
                out += last ? cell : cell.leftJustified(widths.at(i));
            if (!last)
                out += QStringLiteral("  ");
        }
        return out + u'\n';
    };
    QString out = line(m_headers);
    QStringList rule;
    for (qsizetype w : widths)
        rule << QString(w, u'-');
    out += line(rule);
    for (const QStringList& row : m_rows)
        out += line(row);
    return out;
}

} // namespace tb::app
