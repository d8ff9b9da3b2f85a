// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "StoreFactories.h"

#include "storage/SqliteBranchMerge.h"
#include "storage/SqliteSessionStore.h"

namespace tb::app {

namespace {

StoreFactories::Factory make(bool create)
{
    return [create](const QString& path, bool readOnly) -> core::Result<std::unique_ptr<core::SessionStore>> {
        storage::SqliteSessionStore::Options o;
        o.readOnly = readOnly && !create;
        o.create = create;
        auto s = storage::SqliteSessionStore::open(path, o);
        if (!s)
            return s.error();
        return std::unique_ptr<core::SessionStore>(std::move(s).value());
    };
}

} // namespace

StoreFactories::Factory StoreFactories::open()
{
    return make(false);
}

StoreFactories::Factory StoreFactories::create()
{
    return make(true);
}

StoreFactories::MergeFactory StoreFactories::merge()
{
    return [](const QString& path, bool readOnly) -> core::Result<std::unique_ptr<core::BranchMerge>> {
        storage::SqliteBranchMerge::Options o;
        o.readOnly = readOnly;
        auto m = storage::SqliteBranchMerge::open(path, o);
        if (!m)
            return m.error();
        return std::unique_ptr<core::BranchMerge>(std::move(m).value());
    };
}

} // namespace tb::app
