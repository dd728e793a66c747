export { simulate } from './simulator';
export type { SimulationOptions, SimulationResult } from './simulator';
export { parseScenario, DEFAULT_SCENARIO, ScenarioError } from './scenario';
export type { Scenario } from './scenario';
export { closedForm } from './closed-form';
export type { DialPolicy, PolicyDecision } from './policies/dial-policy';
export { EnginePolicy } from './policies/engine-policy';
export { FixedRatioPolicy } from './policies/fixed-ratio';
export { VicidialAdaptivePolicy } from './policies/vicidial-adaptive';
