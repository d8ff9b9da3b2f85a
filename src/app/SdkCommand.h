// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QStringList>
#include <QTextStream>

namespace tb::app {

/// `threadbench sdk [--class advanced|sqlite] [--create-tables] [--limit-setting N] [--branch B]
///  DB SESSION_ID METHOD [KWARGS_JSON]`: constructs one SDK session object and makes one call.
class SdkCommand final
{
public:
    static int run(const QStringList& args, QTextStream& out, QTextStream& err);
};

} // namespace tb::app
