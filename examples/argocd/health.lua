-- Argo CD health check for lern.sunbird.org/LernInstallation.
-- Install under argocd-cm: resource.customizations.health.lern.sunbird.org_LernInstallation
-- Reads only what the operator writes: observedGeneration, conditions (Ready, Reconciling, Stalled).
local hs = {}

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "Paused: migrations and rollouts are stopped"
  local ready = condition("Ready")
  if ready ~= nil and ready.message ~= nil then
    hs.message = ready.message
  end
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lern operator to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lern operator to observe generation " .. tostring(generation)
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message or stalled.reason or "Stalled"
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" and (ready.observedGeneration == nil or generation == nil or ready.observedGeneration == generation) then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

hs.status = "Progressing"
local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.message ~= nil then
  hs.message = reconciling.message
elseif ready ~= nil and ready.message ~= nil then
  hs.message = ready.message
else
  hs.message = "Waiting for the installation to become ready"
end
return hs
