// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// Which model prices a turn: request rows, then branch, session and file assignments, then the
// default; an override replaces all. Workspace ids ("label/id", file-wide "label/") included.
#include "core/ModelResolver.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::ModelResolver;
using tb::core::ModelSource;
using tb::core::ResolvedModel;

namespace {

void expectModel(const ResolvedModel& r, const QString& model, ModelSource source)
{
    EXPECT_EQ(r.model, model);
    EXPECT_EQ(r.source, source) << tb::core::modelSourceName(r.source).toStdString();
}

TEST(ModelResolver, MostSpecificSourceWins)
{
    ModelResolver r;
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), QString(), ModelSource::None);
    r.setDefaultModel(u"default-model"_s);
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), u"default-model"_s, ModelSource::Default);
    r.setAssignments({{{}, {}, u"file-model"_s}});
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), u"file-model"_s, ModelSource::File);
    r.setAssignments({{{}, {}, u"file-model"_s}, {u"s"_s, {}, u"session-model"_s}});
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), u"session-model"_s, ModelSource::Session);
    expectModel(r.resolve(u"t"_s, u"main"_s, 1), u"file-model"_s, ModelSource::File);
    r.setAssignments({{{}, {}, u"file-model"_s}, {u"s"_s, {}, u"session-model"_s}, {u"s"_s, u"alt"_s, u"branch-model"_s}});
    expectModel(r.resolve(u"s"_s, u"alt"_s, 3), u"branch-model"_s, ModelSource::Branch);
    expectModel(r.resolve(u"s"_s, u"main"_s, 3), u"session-model"_s, ModelSource::Session);
    r.addRequestModel(u"s"_s, u"alt"_s, 3, u"request-model"_s, 100);
    expectModel(r.resolve(u"s"_s, u"alt"_s, 3), u"request-model"_s, ModelSource::Request);
    expectModel(r.resolve(u"s"_s, u"alt"_s, 4), u"branch-model"_s, ModelSource::Branch); // another turn
    r.setOverrideModel(u"what-if"_s);
    expectModel(r.resolve(u"s"_s, u"alt"_s, 3), u"what-if"_s, ModelSource::Override);
    expectModel(r.resolveSession(u"s"_s, u"recorded"_s), u"what-if"_s, ModelSource::Override);
    r.setOverrideModel({});
    expectModel(r.resolve(u"s"_s, u"alt"_s, 3), u"request-model"_s, ModelSource::Request);
    r.clearRequestModels();
    expectModel(r.resolve(u"s"_s, u"alt"_s, 3), u"branch-model"_s, ModelSource::Branch);
    // An empty model in an assignment list means "removed", never a model named "".
    r.setAssignments({{u"s"_s, {}, {}}});
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), u"default-model"_s, ModelSource::Default);
}

TEST(ModelResolver, TurnWithSeveralModelsUsesTheOneWithMostTokens)
{
    ModelResolver r;
    r.addRequestModel(u"s"_s, u"main"_s, 1, u"small"_s, 300);
    r.addRequestModel(u"s"_s, u"main"_s, 1, u"large"_s, 500);
    r.addRequestModel(u"s"_s, u"main"_s, 1, u"small"_s, 300); // 600 in all
    expectModel(r.resolve(u"s"_s, u"main"_s, 1), u"small"_s, ModelSource::Request);
    tb::core::RequestUsage row;
    row.sessionId = u"s"_s;
    row.branchId = u"main"_s;
    row.userTurnNumber = 2;
    row.model = u"from-row"_s;
    r.addRequestModels({row});
    expectModel(r.resolve(u"s"_s, u"main"_s, 2), u"from-row"_s, ModelSource::Request);
    // Rows without a model name say nothing about the model.
    r.addRequestModel(u"s"_s, u"main"_s, 3, QString(), 10);
    expectModel(r.resolve(u"s"_s, u"main"_s, 3), QString(), ModelSource::None);
}

TEST(ModelResolver, WorkspaceMembersHaveTheirOwnFileWideAssignment)
{
    ModelResolver r;
    r.setDefaultModel(u"default-model"_s);
    // WorkspaceStore::modelAssignments(): composite ids, a member's file-wide one as "label/".
    r.setAssignments({{u"alice.db/"_s, {}, u"alice-model"_s}, {u"bob.db/customer-1"_s, {}, u"bob-session"_s}});
    expectModel(r.resolve(u"alice.db/customer-1"_s, u"main"_s, 1), u"alice-model"_s, ModelSource::File);
    expectModel(r.resolve(u"alice.db/thread/7"_s, u"main"_s, 1), u"alice-model"_s, ModelSource::File);
    expectModel(r.resolve(u"bob.db/customer-1"_s, u"main"_s, 1), u"bob-session"_s, ModelSource::Session);
    expectModel(r.resolve(u"bob.db/customer-2"_s, u"main"_s, 1), u"default-model"_s, ModelSource::Default);
}

TEST(ModelResolver, SessionViewForTheListing)
{
    ModelResolver r;
    r.setDefaultModel(u"default-model"_s);
    expectModel(r.resolveSession(u"s"_s, u"gpt-4.1"_s), u"gpt-4.1"_s, ModelSource::Request);
    expectModel(r.resolveSession(u"s"_s, QString()), u"default-model"_s, ModelSource::Default);
    r.setAssignments({{u"s"_s, u"alt"_s, u"branch-only"_s}, {u"s"_s, {}, u"session-model"_s}});
    expectModel(r.resolveSession(u"s"_s, QString()), u"session-model"_s, ModelSource::Session);
    EXPECT_EQ(tb::core::modelSourceName(ModelSource::Request), u"request"_s);
    EXPECT_EQ(tb::core::modelSourceName(ModelSource::None), QString());
}

} // namespace
