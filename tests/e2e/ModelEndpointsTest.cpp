// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// The application's endpoint list: shipped profiles, the user's own (kept without keys), the demo,
// and the Settings dialog's view of them.
#include "app/ApiKeyStore.h"
#include "app/ModelEndpoints.h"
#include "net/EndpointProfiles.h"

#include <QSettings>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace {

TEST(ModelEndpoints, ListsTheDemoFirstThenShippedAndUserProfiles)
{
    QSettings().remove(u"endpoints"_s);
    tb::app::ModelEndpoints endpoints;
    const auto profiles = endpoints.profiles();
    ASSERT_FALSE(profiles.isEmpty());
    EXPECT_TRUE(profiles.first().isDemo);
    for (const char* name : {"openai", "ollama", "llamacpp", "vllm", "lmstudio", "custom"})
        EXPECT_TRUE(endpoints.profile(QString::fromLatin1(name)).has_value()) << name;

    tb::net::EndpointProfile mine = *tb::net::EndpointProfiles::builtin(u"ollama");
    mine.name = u"gpu-box"_s;
    mine.displayName = u"GPU box"_s;
    mine.baseUrl = QUrl(u"http://127.0.0.1:11500/v1"_s);
    mine.model = u"qwen3"_s;
    endpoints.setUserProfiles({mine});
    ASSERT_TRUE(endpoints.profile(u"gpu-box"_s).has_value());
    EXPECT_EQ(endpoints.profile(u"gpu-box"_s)->model, u"qwen3"_s);
    // Nothing secret is in the settings: only names and where a key comes from.
    EXPECT_FALSE(QSettings().value(u"endpoints/userProfiles"_s).toString().contains(u"sk-"_s));
    QSettings().remove(u"endpoints"_s);
}

TEST(ModelEndpoints, SettingsEntriesRoundTrip)
{
    tb::net::EndpointProfile p = *tb::net::EndpointProfiles::builtin(u"lmstudio");
    p.name = u"studio"_s;
    p.model = u"llama"_s;
    p.idleTimeoutMs = 90000;
    const tb::ui::EndpointEntry e = tb::app::ModelEndpoints::toEntry(p, false);
    EXPECT_FALSE(e.builtin);
    EXPECT_EQ(e.idleTimeoutSeconds, 90);
    const tb::net::EndpointProfile back = tb::app::ModelEndpoints::fromEntry(e);
    EXPECT_EQ(back.name, p.name);
    EXPECT_EQ(back.baseUrl, p.baseUrl);
    EXPECT_EQ(back.protocol, p.protocol);
    EXPECT_EQ(back.model, p.model);
    EXPECT_EQ(back.usageInStream, p.usageInStream);
    EXPECT_EQ(back.idleTimeoutMs, p.idleTimeoutMs);
}

TEST(ModelEndpoints, TheDemoNeedsNoKeyAndAnnouncesItsModel)
{
    tb::app::ModelEndpoints endpoints;
    tb::core::AgentDefinition agent = tb::core::AgentDefinition::defaultSupportAgent();
    agent.modelSettings.model = u"gpt-4.1"_s;
    auto client = endpoints.prepare(*endpoints.profile(u"demo"_s), agent);
    ASSERT_TRUE(client.has_value()) << client.error().message.toStdString();
    EXPECT_EQ(agent.modelSettings.model, u"threadbench-demo"_s);
    EXPECT_NE(endpoints.demoServer(), nullptr);
    EXPECT_EQ((*client)->endpointName(), u"demo"_s);

    // A real endpoint without a model to use is refused with a clear message.
    tb::core::AgentDefinition plain = tb::core::AgentDefinition::defaultSupportAgent();
    auto custom = endpoints.prepare(*endpoints.profile(u"custom"_s), plain);
    EXPECT_FALSE(custom.has_value());
}

TEST(ApiKeyStore, EnvironmentVariableWinsAndMissingRequiredKeysAreNamed)
{
    tb::net::EndpointProfile p = *tb::net::EndpointProfiles::builtin(u"openai");
    p.apiKeyEnv = u"TB_TEST_KEY_VARIABLE"_s;
    p.apiKeyInKeychain = false;
    qputenv("TB_TEST_KEY_VARIABLE", "sk-test-123");
    auto key = tb::app::ApiKeyStore::resolve(p);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(*key, u"sk-test-123"_s);
    qunsetenv("TB_TEST_KEY_VARIABLE");
    auto missing = tb::app::ApiKeyStore::resolve(p);
    ASSERT_FALSE(missing.has_value());
    EXPECT_TRUE(missing.error().message.contains(u"TB_TEST_KEY_VARIABLE"_s));
    EXPECT_FALSE(missing.error().message.contains(u"sk-"_s));
}

} // namespace
