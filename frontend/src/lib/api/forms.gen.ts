// Generated from openapi/openapi.json by scripts/forms.mjs (npm run api): do not edit.
import type { Field } from "../forms";
import type { components } from "./schema";

type S = components["schemas"];

export const forms = {
  StakeholderUpdate: [
    {"name":"name","label":"Name","nullable":false,"kind":"text","maxLength":300,"required":true},
    {"name":"kind","label":"Kind","nullable":false,"kind":"choice","options":["local_authority","combined_authority","lep","university","college","business","public_body","health","third_sector","network","investor","person"]},
    {"name":"sectors","label":"Sectors","nullable":false,"kind":"list","maxItems":50,"maxLength":100},
    {"name":"area_ids","label":"Areas","nullable":false,"hint":"Areas it is based in or serves: ids or GSS codes.","kind":"list","maxItems":100},
    {"name":"website","label":"Website","nullable":true,"kind":"url","maxLength":500},
    {"name":"description","label":"Description","nullable":true,"kind":"longtext","maxLength":10000},
    {"name":"new_to_innovation","label":"New to innovation","nullable":false,"kind":"boolean"},
    {"name":"status","label":"Status","nullable":false,"kind":"choice","options":["active","dormant","closed"]},
    {"name":"size","label":"Size","nullable":true,"hint":"Size band (micro under 10 staff, small under 50, medium under 250): support eligibility.","kind":"choice","options":["micro","small","medium","large"]},
    {"name":"email","label":"Email","nullable":true,"kind":"email","maxLength":320},
    {"name":"phone","label":"Phone","nullable":true,"kind":"tel","maxLength":50},
  ] satisfies Field<S["StakeholderUpdate"]>[],
  CollaborationUpdate: [
    {"name":"title","label":"Title","nullable":false,"kind":"text","maxLength":300,"required":true},
    {"name":"kind","label":"Kind","nullable":false,"kind":"choice","options":["partnership","project","programme","working_group","board","consortium","funding_bid","event"]},
    {"name":"description","label":"Description","nullable":true,"kind":"longtext","maxLength":20000},
    {"name":"scale","label":"Scale","nullable":false,"kind":"choice","options":["hyperlocal","local","regional","national","global"]},
    {"name":"funding_status","label":"Funding status","nullable":true,"kind":"choice","options":["funded","seeking","exploring"]},
    {"name":"funding_route","label":"Funding route","nullable":true,"kind":"text","maxLength":300},
    {"name":"funding_amount_pence","label":"Funding amount (£)","nullable":true,"kind":"money","min":0,"max":1000000000000000},
    {"name":"lighthouse","label":"Lighthouse","nullable":false,"kind":"boolean"},
    {"name":"outcome_ids","label":"Outcomes","nullable":false,"kind":"list","maxItems":100},
    {"name":"area_ids","label":"Areas","nullable":false,"hint":"Areas it covers: ids or GSS codes.","kind":"list","maxItems":100},
    {"name":"start_date","label":"Start date","nullable":true,"kind":"date"},
    {"name":"end_date","label":"End date","nullable":true,"kind":"date"},
    {"name":"publication","label":"Publication","nullable":false,"hint":"Editors publish a draft; partners cannot.","kind":"choice","options":["draft","published"]},
  ] satisfies Field<S["CollaborationUpdate"]>[],
  StoryCreate: [
    {"name":"title","label":"Title","nullable":false,"kind":"text","maxLength":300,"required":true},
    {"name":"kind","label":"Kind","nullable":false,"hint":"A success story, or a lesson learned (the highs and the lows).","kind":"choice","options":["success","lesson"]},
    {"name":"summary","label":"Summary","nullable":false,"kind":"longtext","maxLength":2000,"required":true},
    {"name":"body","label":"Body","nullable":true,"kind":"longtext","maxLength":50000},
    {"name":"happened_on","label":"Happened on","nullable":true,"kind":"date"},
    {"name":"stakeholder_ids","label":"Stakeholders","nullable":false,"hint":"The organisations (and people) it is about.","kind":"list","maxItems":100},
    {"name":"collaboration_ids","label":"Collaborations","nullable":false,"kind":"list","maxItems":100},
    {"name":"mission_ids","label":"Missions","nullable":false,"kind":"list","maxItems":20},
    {"name":"metric_id","label":"Metric","nullable":true,"hint":"A metric whose values are the evidence.","kind":"text"},
    {"name":"publication","label":"Publication","nullable":false,"hint":"Stories start as drafts; an editor publishes them. Only published ones are public.","kind":"choice","options":["draft","published"]},
  ] satisfies Field<S["StoryCreate"]>[],
  StoryUpdate: [
    {"name":"title","label":"Title","nullable":false,"kind":"text","maxLength":300,"required":true},
    {"name":"kind","label":"Kind","nullable":false,"kind":"choice","options":["success","lesson"]},
    {"name":"summary","label":"Summary","nullable":false,"kind":"longtext","maxLength":2000,"required":true},
    {"name":"body","label":"Body","nullable":true,"kind":"longtext","maxLength":50000},
    {"name":"happened_on","label":"Happened on","nullable":true,"kind":"date"},
    {"name":"stakeholder_ids","label":"Stakeholders","nullable":false,"hint":"The organisations (and people) it is about.","kind":"list","maxItems":100},
    {"name":"collaboration_ids","label":"Collaborations","nullable":false,"kind":"list","maxItems":100},
    {"name":"mission_ids","label":"Missions","nullable":false,"kind":"list","maxItems":20},
    {"name":"metric_id","label":"Metric","nullable":true,"kind":"text"},
    {"name":"publication","label":"Publication","nullable":false,"hint":"Stories start as drafts; an editor publishes them. Only published ones are public.","kind":"choice","options":["draft","published"]},
  ] satisfies Field<S["StoryUpdate"]>[],
};
