/**
 * The enterprise data set of docs/architecture.md#performance-targets, generated in bulk SQL
 * (generate_series) so that 3 M leads load in about a minute: 2,000 people in 200 teams
 * (20 regions, 180 sub-teams), 24 months of weekly pulses and monthly eNPS, 1,000,000
 * opportunities and 3,000,000 leads (all × scale).
 *
 * Deterministic: every "random" value is a slice of md5(seed, row number), so the same scale and
 * seed give the same rows; dates are placed relative to the Monday of the current week (the
 * dashboards' default windows end today).
 */
import postgres from 'postgres'
import { openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import type { FrozenQuestion } from '#db/schema/surveys'
import { ensureDefaultStages } from '~/funnel/stages.server'
import { ENPS_QUESTION, TEMPLATES, bankQuestion } from '~/surveys/question-bank'

export const SEED = 20261127
export const ORG_NAME = 'Bench Sales Europe'
export const ADMIN_EMAIL = 'bench.admin@bench.example'

export type Sizes = { people: number; teams: number; regions: number; opportunities: number; leads: number; weeks: number; months: number }

export function sizesFor(scale: number): Sizes {
  const teams = Math.max(3, Math.round(200 * scale))
  return {
    teams,
    regions: Math.max(1, Math.round(teams / 10)),
    people: teams * 10,
    opportunities: Math.max(1000, Math.round(1_000_000 * scale)),
    leads: Math.max(3000, Math.round(3_000_000 * scale)),
    weeks: 104,
    months: 24,
  }
}

/** Monday 00:00 UTC of the current week: the anchor of every generated date. */
export function anchorMonday(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)))
}

function frozen(keys: string[]): FrozenQuestion[] {
  return keys.map((key, i) => {
    const q = key === 'enps' ? ENPS_QUESTION : bankQuestion(key)!
    return { id: key, position: i + 1, type: q.type, driver: q.driver, required: q.required, text: q.text, ...(q.options ? { options: q.options } : {}), bankKey: key, ...(q.type === 'enps' ? { scale: '1-10' as const } : {}) }
  })
}

/** Creates the database afresh (dropping a previous bench database of the same name) and migrates it. */
export async function recreateDatabase(url: string) {
  const target = new URL(url)
  const name = target.pathname.slice(1)
  if (!/^pulseboard_bench[a-z0-9_]*$/.test(name)) throw new Error(`Refusing to drop "${name}": the bench only recreates databases named pulseboard_bench…`)
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
  // The deployment the README recommends: JIT off for the whole database. JIT compilation of the
  // results aggregates (which, unlike the KPI queries, do not turn it off themselves) costs seconds.
  await admin.unsafe(`alter database ${name} set jit = off`)
  await admin.end()
  const database = await openDatabase({ url, max: 2 })
  await migrateDatabase(database)
  await ensureDefaultStages(database.db)
  await database.close()
}

/** Loads the data set; returns row counts per table. */
export async function generate(url: string, scale: number, log: (message: string) => void): Promise<Record<string, number>> {
  const s = sizesFor(scale)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  const anchor = anchorMonday().toISOString()
  const step = async (label: string, text: string) => {
    const started = Date.now()
    await sql.unsafe(text)
    log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }
  try {
    // r(key, i): the i-th of four uniform values in [0, 1) from md5(seed:key).
    await sql.unsafe(`create or replace function bench_r(key text, i int) returns double precision language sql immutable parallel safe as
      $$ select ('x' || substr(md5('${SEED}:' || key), 1 + 8 * i, 8))::bit(32)::bigint / 4294967296.0 $$`)
    // A version-4 layout (version and variant nibbles set), so that the API's UUID validation accepts it.
    await sql.unsafe(`create or replace function bench_uuid(key text) returns uuid language sql immutable parallel safe as $$ select overlay(overlay(md5('${SEED}:' || key) placing '4' from 13) placing '8' from 17)::uuid $$`)
    await step(
      'settings, teams, people',
      `
      insert into settings (id, org_name, default_locale, timezone, currency) values (1, '${ORG_NAME}', 'en', 'Europe/Rome', 'EUR')
        on conflict (id) do update set org_name = excluded.org_name, default_locale = 'en', timezone = 'Europe/Rome', currency = 'EUR';
      insert into teams (id, name, parent_id)
        select bench_uuid('team' || t), case when t <= ${s.regions} then 'Region ' || lpad(t::text, 2, '0') else 'Team ' || lpad(t::text, 3, '0') end,
          case when t > ${s.regions} then bench_uuid('team' || (1 + (t - ${s.regions} - 1) % ${s.regions})) end
        from generate_series(1, ${s.teams}) t;
      -- Person n sits in team ceil(n / 10); the first of each team manages it. People 1–4: admin, hr, leader, marketing.
      insert into people (id, email, name, role, locale, timezone, team_id, crm_owner_keys, started_on)
        select bench_uuid('person' || n),
          case when n = 1 then '${ADMIN_EMAIL}' else 'person' || lpad(n::text, 5, '0') || '@bench.example' end,
          'Person ' || lpad(n::text, 5, '0'),
          case n when 1 then 'admin' when 2 then 'hr' when 3 then 'leader' when 4 then 'marketing' else 'employee' end,
          case when n % 3 = 0 then 'it' else 'en' end, 'Europe/Rome',
          bench_uuid('team' || (1 + (n - 1) / 10)), array['rep-' || n], ('${anchor}'::date - 800)
        from generate_series(1, ${s.people}) n;
      update teams t set manager_id = bench_uuid('person' || (10 * (g.t - 1) + 1)) from generate_series(1, ${s.teams}) g(t) where t.id = bench_uuid('team' || g.t);
      update people p set manager_id = case
          when (g.n - 1) % 10 <> 0 then bench_uuid('person' || (10 * ((g.n - 1) / 10) + 1))
          when (g.n - 1) / 10 + 1 > ${s.regions} then bench_uuid('person' || (10 * ((1 + ((g.n - 1) / 10 + 1 - ${s.regions} - 1) % ${s.regions}) - 1) + 1))
        end
        from generate_series(1, ${s.people}) g(n) where p.id = bench_uuid('person' || g.n);
      `,
    )

    // Surveys: the weekly pulse and the monthly eNPS templates, confidential, with their history.
    const pulse = frozen(TEMPLATES.weekly_pulse.questionKeys)
    const enps = frozen(TEMPLATES.monthly_enps.questionKeys)
    const surveyRows = [
      { key: 'pulse', kind: 'pulse', cadence: 'weekly', title: 'Weekly pulse', questions: pulse },
      { key: 'enps', kind: 'enps', cadence: 'monthly', title: 'Monthly eNPS', questions: enps },
    ]
    for (const sv of surveyRows) {
      await sql.unsafe(
        `insert into surveys (id, title, kind, privacy, status, cadence, send_day, send_time, starts_on)
         values (bench_uuid('survey-${sv.key}'), $1, '${sv.kind}', 'confidential', 'paused', '${sv.cadence}', 1, '09:00', '${anchor}'::date - 800)`,
        [sv.title],
      )
      for (const q of sv.questions) {
        await sql.unsafe(
          `insert into survey_questions (survey_id, position, type, driver, required, text, options, bank_key) values (bench_uuid('survey-${sv.key}'), $1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7)`,
          [q.position, q.type, q.driver, q.required, JSON.stringify(q.text), q.options ? JSON.stringify(q.options) : null, q.bankKey ?? null],
        )
      }
    }
    await sql.unsafe(
      `insert into survey_rounds (id, survey_id, due_at, opens_at, closes_at, status, questions, privacy, threshold_scores, threshold_comments, audience_size)
       select bench_uuid('round-pulse-' || k), bench_uuid('survey-pulse'), o, o, o + interval '5 days', 'closed', $1::text::jsonb, 'confidential', 5, 5, ${s.people}
       from generate_series(1, ${s.weeks}) k, lateral (select '${anchor}'::timestamptz - k * interval '7 days' + interval '8 hours' as o) x`,
      [JSON.stringify(pulse)] as never[],
    )
    await sql.unsafe(
      `insert into survey_rounds (id, survey_id, due_at, opens_at, closes_at, status, questions, privacy, threshold_scores, threshold_comments, audience_size)
       select bench_uuid('round-enps-' || k), bench_uuid('survey-enps'), o, o, o + interval '5 days', 'closed', $1::text::jsonb, 'confidential', 5, 5, ${s.people}
       from generate_series(1, ${s.months}) k, lateral (select date_trunc('month', '${anchor}'::timestamptz at time zone 'UTC') at time zone 'UTC' - k * interval '1 month' + interval '8 hours' as o) x`,
      [JSON.stringify(enps)] as never[],
    )
    // Mood: a team effect (the same one drives the team's win rate below), a personal offset, noise.
    await step(
      'invitations and responses',
      `
      create temporary table bench_inv as
        select r.id as round_id, r.survey_id, r.opens_at, bench_uuid('inv' || r.id || ':' || n) as invitation_id, n,
          bench_uuid('person' || n) as person_id, bench_uuid('team' || (1 + (n - 1) / 10)) as team_id,
          bench_r('inv' || r.id || ':' || n, 0) < 0.75 as responded,
          (((1 + (n - 1) / 10) * 37) % 100) / 100.0 - 0.5 + (bench_r('person' || n, 1) - 0.5) * 0.8 as mood
        from survey_rounds r, generate_series(1, ${s.people}) n;
      insert into invitations (id, round_id, person_id, delivery_status, attempts, sent_at, responded_at, created_at)
        select invitation_id, round_id, person_id, 'sent', 1, opens_at, case when responded then opens_at + interval '3 hours' end, opens_at from bench_inv;
      insert into responses (id, survey_id, round_id, person_id, invitation_id, team_id, submitted_on)
        select bench_uuid('resp' || invitation_id), survey_id, round_id, person_id, invitation_id, team_id, (opens_at + interval '3 hours')::date
        from bench_inv where responded;
      `,
    )
    await step(
      'answers',
      `
      insert into answers (response_id, question_key, type, driver, value_number, value_text)
        select bench_uuid('resp' || i.invitation_id), q->>'id', q->>'type', q->>'driver',
          case when q->>'type' = 'agreement' then greatest(1, least(5, round(3.3 + 2 * i.mood + (bench_r('a' || i.invitation_id || (q->>'id'), 0) - 0.5) * 1.6)))
               when q->>'type' = 'enps' then greatest(1, least(10, round(7.2 + 3.5 * i.mood + (bench_r('a' || i.invitation_id || (q->>'id'), 0) - 0.5) * 3)))
          end,
          case when q->>'type' = 'text' then case when i.mood > 0 then 'Good team spirit and clear targets.' else 'Too much admin, not enough selling time.' end end
        from bench_inv i join survey_rounds r on r.id = i.round_id, jsonb_array_elements(r.questions) q
        where i.responded and (q->>'type' <> 'text' or bench_r('a' || i.invitation_id || (q->>'id'), 1) < 0.15);
      drop table bench_inv;
      `,
    )
    const stages = `(array['prospecting','qualification','needs_analysis','proposal','negotiation'])[1 + floor(bench_r('o' || n, 3) * 5)::int]`
    const sources = `(array['Web','Referral','Trade Show','Partner','Outbound','Webinar'])`
    const industries = `(array['Technology','Manufacturing','Retail','Finance','Healthcare','Energy'])`
    await sql.unsafe(
      `insert into campaigns (name, cost, currency, started_on) select 'Campaign ' || lpad(c::text, 2, '0'), 5000 + c * 1000, 'EUR', '${anchor}'::date - 730 from generate_series(1, 20) c`,
    )
    // Opportunities: owner among the reps (people 5…), created over 24 months; won more often in
    // teams with a better mood, so the overlay finds an association.
    await step(
      `opportunities (${s.opportunities.toLocaleString('en')})`,
      `
      insert into opportunities (id, source, external_id, owner_key, owner_id, name, account, amount, currency, stage, stage_label, status,
          created_at, closed_at, expected_close_on, lead_source, industry, campaign, pipeline, updated_at)
      select bench_uuid('opp' || n), 'salesforce', '006B' || lpad(n::text, 9, '0'), 'rep-' || owner, bench_uuid('person' || owner),
        'Deal ' || n, 'Account ' || (1 + floor(bench_r('o' || n, 2) * 20000)::int),
        round((1000 + bench_r('o2' || n, 0) * 49000)::numeric, 2),
        case when bench_r('o2' || n, 1) < 0.05 then 'USD' else 'EUR' end,
        case status when 'won' then 'closed_won' when 'lost' then 'closed_lost' else ${stages} end,
        case status when 'won' then 'Closed Won' when 'lost' then 'Closed Lost' else initcap(replace(${stages}, '_', ' ')) end,
        status, created, case when status <> 'open' then closes end, (closes)::date,
        ${sources}[1 + floor(bench_r('o2' || n, 2) * 6)::int], ${industries}[1 + floor(bench_r('o2' || n, 3) * 6)::int],
        case when bench_r('o2' || n, 2) < 0.3 then 'Campaign ' || lpad((1 + floor(bench_r('o2' || n, 3) * 20)::int)::text, 2, '0') end,
        'default', created
      from (
        select n, owner, created, closes,
          case when closes > now() then 'open'
               when bench_r('o' || n, 3) < 0.25 + 0.3 * ((((1 + (owner - 1) / 10) * 37) % 100) / 100.0) then 'won' else 'lost' end as status
        from (
          select n, 5 + floor(bench_r('o' || n, 0) * ${s.people - 4})::int as owner,
            '${anchor}'::timestamptz - interval '730 days' + bench_r('o' || n, 1) * interval '730 days' as created,
            '${anchor}'::timestamptz - interval '730 days' + bench_r('o' || n, 1) * interval '730 days' + (5 + bench_r('o' || n, 2) * 85) * interval '1 day' as closes
          from generate_series(1, ${s.opportunities}) n
        ) a
      ) b
      `,
    )
    await step(
      `leads (${s.leads.toLocaleString('en')})`,
      `
      insert into leads (id, source, external_id, owner_key, owner_id, created_at, converted, converted_at, status, lead_source, industry, campaign, updated_at)
      select bench_uuid('lead' || n), 'salesforce', '00QB' || lpad(n::text, 9, '0'), 'rep-' || owner, bench_uuid('person' || owner), created,
        converted, case when converted then least(now(), created + bench_r('l' || n, 3) * interval '30 days') end,
        case when converted then 'Qualified' else 'Open' end,
        ${sources}[1 + floor(bench_r('l' || n, 2) * 6)::int], ${industries}[1 + floor(bench_r('l' || n, 3) * 6)::int],
        case when bench_r('l' || n, 2) < 0.3 then 'Campaign ' || lpad((1 + floor(bench_r('l' || n, 3) * 20)::int)::text, 2, '0') end,
        created
      from (
        select n, 5 + floor(bench_r('l' || n, 0) * ${s.people - 4})::int as owner,
          '${anchor}'::timestamptz - interval '730 days' + bench_r('l' || n, 1) * interval '730 days' as created,
          bench_r('l' || n, 2) < 0.28 as converted
        from generate_series(1, ${s.leads}) n
      ) a
      `,
    )
    await step(
      'targets',
      `insert into kpi_targets (person_id, period, period_start, metric, value, currency)
       select bench_uuid('person' || n), 'month', (date_trunc('month', '${anchor}'::date - 700) + m * interval '1 month')::date, 'won_amount', 60000, 'EUR'
       from generate_series(5, ${s.people}) n, generate_series(0, 24) m`,
    )
    await step('vacuum analyze', `vacuum analyze`)
    const counts: Record<string, number> = {}
    for (const table of ['teams', 'people', 'survey_rounds', 'invitations', 'responses', 'answers', 'opportunities', 'leads', 'kpi_targets']) {
      const [row] = await sql.unsafe(`select count(*)::int as n from ${table}`)
      counts[table] = row.n as number
    }
    return counts
  } finally {
    await sql.end({ timeout: 5 })
  }
}
