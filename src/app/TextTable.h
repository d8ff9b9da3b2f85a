// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>

namespace tb::app {

/// A plain-text table for terminal output: columns padded to their widest cell, numbers
/// right-aligned.
class TextTable final
{
public:
    explicit TextTable(QStringList headers) : m_headers(std::move(headers)) {}
    void setRightAligned(int column) { m_right << column; }
    void addRow(QStringList cells) { m_rows << std::move(cells); }
    [[nodiscard]] QString render() const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
    QList<int> m_right;
};

} // namespace tb::app
