// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

#include "NetLogging.h"

namespace tb::net {

Q_LOGGING_CATEGORY(lcNet, "tb.net", QtInfoMsg)

} // namespace tb::net
