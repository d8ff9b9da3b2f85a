// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QLoggingCategory>

namespace tb::net {

/// `tb.net`: requests and failures of the net layer. Never API keys, never prompts.
Q_DECLARE_LOGGING_CATEGORY(lcNet)

} // namespace tb::net
