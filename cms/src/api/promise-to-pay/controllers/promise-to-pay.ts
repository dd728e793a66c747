import { scopedController } from '../../../access/scoped-controller';

export default scopedController('api::promise-to-pay.promise-to-pay');
