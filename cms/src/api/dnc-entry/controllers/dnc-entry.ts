import { scopedController } from '../../../access/scoped-controller';

export default scopedController('api::dnc-entry.dnc-entry');
