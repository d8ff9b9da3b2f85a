// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors

// Agent definitions: the versioned JSON form (round trips, strict reading), agent files, and the
// tb_agents / tb_tasks side tables (created on first write only; reading never touches the file).

#include "AgentTestSupport.h"
#include "storage/SqliteAgentRepository.h"

namespace tb::test::agent {
namespace {

using core::AgentDefinition;
using core::ToolImplementation;
using storage::SqliteAgentRepository;
using storage::SqliteTaskList;

AgentDefinition everyKind()
{
    AgentDefinition a = AgentDefinition::defaultSupportAgent();
    a.name = u"Escalations — Ünïcode"_s;
    a.modelSettings.model = u"gpt-4.1-mini"_s;
    a.modelSettings.temperature = 0.25;
    a.modelSettings.maxOutputTokens = 800;
    a.modelSettings.toolChoice = u"auto"_s;
    a.modelSettings.parallelToolCalls = false;
    a.endpointProfile = u"openai"_s;
    ToolImplementation canned;
    canned.kind = ToolImplementation::Kind::Canned;
    canned.cannedOutput = u"30 days"_s;
    ToolImplementation command = commandImpl(u"/usr/bin/python3"_s, {u"lookup.py"_s, u"--json"_s}, 5000);
    command.workingDirectory = u"/srv/tools"_s;
    ToolImplementation ask;
    ask.kind = ToolImplementation::Kind::AskAnalyst;
    ask.prompt = u"Approve refunds over $50"_s;
    ToolImplementation replay;
    replay.kind = ToolImplementation::Kind::Replay;
    a.tools << binding(u"refund_policy"_s, canned) << binding(u"lookup_account"_s, command)
            << binding(u"ask_supervisor"_s, ask) << binding(u"get_weather"_s, replay);
    return a;
}

TEST(AgentDefinitionTest, DefaultSupportAgent)
{
    const AgentDefinition a = AgentDefinition::defaultSupportAgent();
    EXPECT_EQ(a.modelSettings.model, u"threadbench-demo"_s);
    EXPECT_EQ(a.endpointProfile, u"demo"_s);
    QStringList names;
    for (const core::ToolBinding& t : a.tools) {
        names << t.definition.name;
        EXPECT_EQ(t.implementation.kind, ToolImplementation::Kind::Builtin);
        EXPECT_EQ(t.implementation.builtin, t.definition.name);
    }
    EXPECT_EQ(names, QStringList({u"check_order_status"_s, u"add_task"_s, u"list_tasks"_s, u"complete_task"_s}));
    EXPECT_TRUE(a.validate());
    EXPECT_EQ(
        a.findTool(u"check_order_status")->definition.parameters.dump(),
        QByteArray(
            R"({"type": "object", "properties": {"order_id": {"type": "string", "description": "The order number, e.g. ORD-123"}}, "required": ["order_id"], "additionalProperties": false})"));
}

TEST(AgentDefinitionTest, JsonRoundTripOfEveryKind)
{
    const AgentDefinition a = everyKind();
    const Json json = a.toJson();
    auto back = AgentDefinition::fromJson(json);
    ASSERT_TRUE(back.has_value()) << S(back.error().message);
    EXPECT_EQ(*back, a);
    EXPECT_EQ(back->toJson().dump(), json.dump());

    // The file form re-exports to the same bytes.
    const QByteArray text = a.toJsonText();
    auto fromText = AgentDefinition::fromJsonText(text);
    ASSERT_TRUE(fromText.has_value()) << S(fromText.error().message);
    EXPECT_EQ(fromText->toJsonText(), text);
    EXPECT_TRUE(text.endsWith("}\n"));
    EXPECT_TRUE(text.contains("\"format\": \"threadbench-agent/1\""));
    EXPECT_TRUE(text.contains(u"Escalations — Ünïcode"_s.toUtf8())); // raw UTF-8 in files
}

TEST(AgentDefinitionTest, ExactJsonShape)
{
    AgentDefinition a;
    a.name = u"Mini"_s;
    a.modelSettings.model = u"m"_s;
    ToolImplementation command = commandImpl(u"tool"_s, {u"-v"_s}, 1500);
    a.tools << binding(u"t"_s, command);
    EXPECT_EQ(
        a.toJson().dump(),
        QByteArray(
            R"({"format": "threadbench-agent/1", "name": "Mini", "instructions": "", "model_settings": {"model": "m", "tool_choice": "", "parallel_tool_calls": true}, "endpoint_profile": "", )"
            R"("tools": [{"name": "t", "description": "A test tool", "parameters": {"type": "object", "properties": {}}, "strict": false, )"
            R"("implementation": {"kind": "command", "program": "tool", "arguments": ["-v"], "timeout_ms": 1500, "working_directory": ""}}]})"));
}

TEST(AgentDefinitionTest, StrictReading)
{
    struct Case
    {
        const char* json;
        QString message;
    };
    const Case cases[] = {
        {R"({"name": "x"})", u"Not a Threadbench agent file (no \"format\" tag)"_s},
        {R"({"format": "threadbench-agent/2", "name": "x"})",
         u"Unsupported agent format \"threadbench-agent/2\" (this version reads \"threadbench-agent/1\")"_s},
        {R"([1])", u"Invalid agent definition: the agent must be an object"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "colour": "red"})",
         u"Invalid agent definition: unknown key \"colour\""_s},
        {R"({"format": "threadbench-agent/1"})", u"Invalid agent definition: name is missing"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "model_settings": {"temperature": "hot"}})",
         u"Invalid agent definition: model_settings.temperature must be a number"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "model_settings": {"max_output_tokens": 0}})",
         u"Invalid agent definition: model_settings.max_output_tokens must be a positive integer"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "magic"}}]})",
         u"Invalid agent definition: tools[0].implementation.kind \"magic\" is not one of builtin, canned, command, ask_analyst, replay"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a"}]})",
         u"Invalid agent definition: tools[0].implementation is missing"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "canned", "output": "o", "extra": 1}}]})",
         u"Invalid agent definition: unknown key \"extra\" in tools[0].implementation"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "replay"}}, {"name": "a", "implementation": {"kind": "replay"}}]})",
         u"Invalid agent definition: tool \"a\" is defined twice"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "bad name", "implementation": {"kind": "replay"}}]})",
         u"Invalid agent definition: tool name \"bad name\" must be 1-64 letters, digits, '_' or '-'"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "builtin", "builtin": "nope"}}]})",
         u"Invalid agent definition: tool \"a\" names an unknown built-in \"nope\" (known: check_order_status, add_task, list_tasks, complete_task)"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "command", "program": ""}}]})",
         u"Invalid agent definition: tool \"a\" has no program to run"_s},
        {R"({"format": "threadbench-agent/1", "name": "x", "tools": [{"name": "a", "implementation": {"kind": "command", "program": "p", "arguments": [1]}}]})",
         u"Invalid agent definition: tools[0].implementation.arguments must be a list of strings"_s},
    };
    for (const Case& c : cases) {
        auto r = AgentDefinition::fromJsonText(QByteArray(c.json));
        ASSERT_FALSE(r.has_value()) << c.json;
        EXPECT_EQ(r.error().code, Error::Code::Format) << c.json;
        EXPECT_EQ(r.error().message, c.message) << c.json;
    }
    auto notJson = AgentDefinition::fromJsonText(QByteArray("{"));
    ASSERT_FALSE(notJson.has_value());
    EXPECT_EQ(notJson.error().message,
              u"Not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"_s);
}

TEST(AgentDefinitionTest, OptionalFieldsMayBeNullOrMissing)
{
    auto r = AgentDefinition::fromJsonText(QByteArray(
        R"({"format": "threadbench-agent/1", "name": "x", "model_settings": {"temperature": null, "max_output_tokens": null}})"));
    ASSERT_TRUE(r.has_value()) << S(r.error().message);
    EXPECT_FALSE(r->modelSettings.temperature.has_value());
    EXPECT_TRUE(r->modelSettings.parallelToolCalls);
    EXPECT_TRUE(r->tools.isEmpty());
}

TEST(AgentDefinitionTest, SaveAndLoadFile)
{
    tb::test::TempDir dir;
    const QString path = dir.filePath(u"agent.json"_s);
    const AgentDefinition a = everyKind();
    ASSERT_TRUE(a.saveToFile(path));
    auto back = AgentDefinition::loadFromFile(path);
    ASSERT_TRUE(back.has_value()) << S(back.error().message);
    EXPECT_EQ(*back, a);
    auto missing = AgentDefinition::loadFromFile(dir.filePath(u"none.json"_s));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Error::Code::Storage);
    AgentDefinition invalid;
    EXPECT_FALSE(invalid.saveToFile(path));                       // no name
    EXPECT_TRUE(AgentDefinition::loadFromFile(path).has_value()); // the old file is intact
}

// --- tb_agents -------------------------------------------------------------------------------------

TEST(SqliteAgentRepositoryTest, SaveListLoadRemove)
{
    SessionFixture db;
    auto repo = SqliteAgentRepository::open(db.path, {});
    ASSERT_TRUE(repo.has_value()) << S(repo.error().message);
    EXPECT_TRUE((*repo)->list()->isEmpty());
    EXPECT_FALSE((*repo)->load(u"x"_s)->has_value());
    EXPECT_FALSE(*(*repo)->remove(u"x"_s));

    const AgentDefinition support = AgentDefinition::defaultSupportAgent();
    AgentDefinition other = everyKind();
    ASSERT_TRUE((*repo)->save(other));
    ASSERT_TRUE((*repo)->save(support));
    EXPECT_EQ(*(*repo)->list(), QStringList({u"Customer support agent"_s, u"Escalations — Ünïcode"_s}));
    auto loaded = (*repo)->load(u"Escalations — Ünïcode"_s);
    ASSERT_TRUE(loaded.has_value() && loaded->has_value());
    EXPECT_EQ(**loaded, other);

    // Saving under the same name replaces.
    other.instructions = u"Updated"_s;
    ASSERT_TRUE((*repo)->save(other));
    EXPECT_EQ((*repo)->list()->size(), 2);
    EXPECT_EQ((*(*repo)->load(other.name))->instructions, u"Updated"_s);

    ReadOnlyDb raw(db.path);
    EXPECT_EQ(
        raw.lines(u"SELECT sql FROM sqlite_master WHERE name = 'tb_agents'"_s),
        QStringList(
            {u"CREATE TABLE tb_agents (name TEXT PRIMARY KEY, definition TEXT NOT NULL, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"_s}));
    EXPECT_EQ(raw.count(u"SELECT COUNT(*) FROM pragma_foreign_key_list('tb_agents')"_s), 0);
    EXPECT_EQ(raw.lines(u"SELECT definition FROM tb_agents WHERE name = ?"_s, {support.name}),
              QStringList({QString::fromUtf8(support.toJson().dump())}));

    EXPECT_TRUE(*(*repo)->remove(support.name));
    EXPECT_EQ(*(*repo)->list(), QStringList({other.name}));
    EXPECT_FALSE((*repo)->save(AgentDefinition{}).has_value()); // invalid: no name
}

TEST(SqliteAgentRepositoryTest, ReadingNeverModifiesTheFile)
{
    tb::test::TempDir dir;
    const QString path = copySdkFixture(u"multi.db"_s, dir.path());
    ASSERT_FALSE(path.isEmpty());
    const QByteArray before = sha256(path);
    {
        auto repo = SqliteAgentRepository::open(path, {});
        ASSERT_TRUE(repo.has_value()) << S(repo.error().message);
        EXPECT_TRUE((*repo)->list()->isEmpty());
        EXPECT_FALSE((*repo)->load(u"x"_s)->has_value());
        EXPECT_FALSE(*(*repo)->remove(u"x"_s));
        auto tasks = SqliteTaskList::open(path, {});
        ASSERT_TRUE(tasks.has_value());
        EXPECT_TRUE((*tasks)->list(u"customer-1000"_s)->isEmpty());
        EXPECT_EQ((*tasks)->complete(u"customer-1000"_s, 1)->outcome, core::TaskCompletion::Outcome::NotFound);
    }
    EXPECT_EQ(sha256(path), before);
    ReadOnlyDb raw(path);
    EXPECT_FALSE(raw.tableExists(u"tb_agents"_s));
    EXPECT_FALSE(raw.tableExists(u"tb_tasks"_s));
}

TEST(SqliteAgentRepositoryTest, ReadOnlyAndMissingFiles)
{
    tb::test::TempDir dir;
    auto missing = SqliteAgentRepository::open(dir.filePath(u"none.db"_s), {});
    ASSERT_FALSE(missing.has_value());
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(u"none.db"_s)));

    SessionFixture db;
    SqliteAgentRepository::Options ro;
    ro.readOnly = true;
    auto repo = SqliteAgentRepository::open(db.path, ro);
    ASSERT_TRUE(repo.has_value()) << S(repo.error().message);
    auto saved = (*repo)->save(AgentDefinition::defaultSupportAgent());
    ASSERT_FALSE(saved.has_value());
    EXPECT_EQ(saved.error().code, Error::Code::ReadOnly);

    SqliteAgentRepository::Options create;
    create.create = true;
    auto fresh = SqliteAgentRepository::open(dir.filePath(u"agents.db"_s), create);
    ASSERT_TRUE(fresh.has_value());
    EXPECT_TRUE((*fresh)->save(AgentDefinition::defaultSupportAgent()));
}

TEST(SqliteAgentRepositoryTest, CorruptRowIsAClearError)
{
    SessionFixture db;
    auto repo = SqliteAgentRepository::open(db.path, {});
    ASSERT_TRUE(repo.has_value());
    ASSERT_TRUE((*repo)->save(AgentDefinition::defaultSupportAgent()));
    {
        QSqlDatabase side = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"corrupt-writer"_s);
        side.setDatabaseName(db.path);
        ASSERT_TRUE(side.open());
        QSqlQuery q(side);
        ASSERT_TRUE(q.exec(u"UPDATE tb_agents SET definition = '{\"format\": 1}'"_s));
        side.close();
    }
    QSqlDatabase::removeDatabase(u"corrupt-writer"_s);
    auto loaded = (*repo)->load(u"Customer support agent"_s);
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(
        loaded.error().message,
        u"Stored agent \"Customer support agent\" cannot be read: Not a Threadbench agent file (no \"format\" tag)"_s);
}

// --- tb_tasks --------------------------------------------------------------------------------------

TEST(SqliteTaskListTest, AddListCompletePerSession)
{
    SessionFixture db;
    SqliteTaskList& tasks = *db.tasks;
    EXPECT_EQ(*tasks.add(u"a"_s, u"First"_s), 1);
    EXPECT_EQ(*tasks.add(u"b"_s, u"Elsewhere"_s), 2);
    EXPECT_EQ(*tasks.add(u"a"_s, u"Second"_s), 3);
    EXPECT_EQ(tasks.add(u"a"_s, u"  "_s).error().code, Error::Code::Argument);
    auto listed = tasks.list(u"a"_s);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 2);
    EXPECT_EQ(listed->at(0).title, u"First"_s);
    EXPECT_FALSE(listed->at(0).done);
    EXPECT_TRUE(listed->at(0).completedAt.isEmpty());
    EXPECT_EQ(listed->at(0).createdAt.size(), 19); // "YYYY-MM-DD HH:MM:SS"

    auto done = tasks.complete(u"a"_s, 3);
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(done->outcome, core::TaskCompletion::Outcome::Completed);
    EXPECT_TRUE(done->task.done);
    EXPECT_EQ(done->task.completedAt.size(), 19);
    EXPECT_EQ(tasks.complete(u"a"_s, 3)->outcome, core::TaskCompletion::Outcome::AlreadyDone);
    EXPECT_EQ(tasks.complete(u"a"_s, 2)->outcome, core::TaskCompletion::Outcome::NotFound);
    EXPECT_EQ(tasks.complete(u"a"_s, 99)->outcome, core::TaskCompletion::Outcome::NotFound);

    ReadOnlyDb raw(db.path);
    EXPECT_EQ(
        raw.lines(u"SELECT sql FROM sqlite_master WHERE name = 'tb_tasks'"_s),
        QStringList(
            {u"CREATE TABLE tb_tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, title TEXT NOT "
             u"NULL, "
             "done INTEGER NOT NULL DEFAULT 0, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMP)"_s}));
    EXPECT_EQ(raw.lines(u"SELECT id, session_id, title, done FROM tb_tasks ORDER BY id"_s),
              QStringList({u"1|a|First|0"_s, u"2|b|Elsewhere|0"_s, u"3|a|Second|1"_s}));
}

TEST(SqliteTaskListTest, SdkStillOpensTheFileAfterSideTables)
{
    // The ownership check of AdvancedSQLiteSession looks at FKs only: tb_ tables have none.
    SessionFixture db;
    ASSERT_TRUE(db.tasks->add(u"customer-1"_s, u"x"_s));
    auto repo = SqliteAgentRepository::open(db.path, {});
    ASSERT_TRUE(repo.has_value());
    ASSERT_TRUE((*repo)->save(AgentDefinition::defaultSupportAgent()));
    auto again = db.store->openSession(u"customer-2"_s, {});
    ASSERT_TRUE(again.has_value()) << S(again.error().message);
}

} // namespace
} // namespace tb::test::agent
