-- wrk script: POST /api/v1/appeals with a unique Idempotency-Key per request,
-- realistic Chinese text and an obviously fake phone number.
local texts = {
  "小区门口的电瓶车昨晚又被偷了一辆，监控好像坏了，希望派出所来看看",
  "练市镇菜场门口每天早上占道摆摊，车子开不过去，建议管理一下",
  "有人冒充客服打电话让我刷单返利，我没转账，想举报这个号码",
  "爱山广场晚上广场舞音响太响了，十点以后还在跳，孩子没法睡觉",
  "请问户口迁移到织里需要带什么材料，网上没写清楚",
  "感谢月河派出所的民警帮我找回了走失的老人，特此表扬",
}
local kinds = { "complaint", "suggestion", "report", "complaint", "consultation", "praise" }
local counter = 0
local thread_id = 0

setup = function(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

request = function()
  counter = counter + 1
  local i = (counter % #texts) + 1
  local body = string.format(
    '{"kind":"%s","channel":"api","text":"%s（%d）","contact_phone":"1380000%04d"}',
    kinds[i], texts[i], counter, counter % 10000)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", thread_id, counter, os.time()),
  }
  return wrk.format("POST", "/api/v1/appeals", headers, body)
end

local non201 = 0
response = function(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
