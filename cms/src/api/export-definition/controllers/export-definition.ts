import { scopedController } from '../../../access/scoped-controller';

// Owner-scoped (scope-rules.ts); the owner is the writer, set in scopedController, never taken from the body.
export default scopedController('api::export-definition.export-definition');
