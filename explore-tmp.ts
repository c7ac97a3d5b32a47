import { synthesizeLocalTemplate, describeLocalResources } from './local/template.ts';
import { LocalStepFunctionsService } from './local/step-functions.ts';
const template = await synthesizeLocalTemplate();
const r = describeLocalResources(template);
console.log(r.apiMethods.map((m) => `${m.httpMethod} ${m.path} -> ${m.functionLogicalId}`));
console.log(JSON.stringify(r.eventSourceMappings), Object.keys(r.tables), JSON.stringify(r.topics), JSON.stringify(r.keys));
new LocalStepFunctionsService({ stateMachines: r.stateMachines, invokeLambda: async () => ({}) });
console.log(JSON.stringify(Object.values(r.stateMachines).map(m=>m.definition)));
