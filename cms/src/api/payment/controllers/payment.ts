import { scopedController } from '../../../access/scoped-controller';

export default scopedController('api::payment.payment');
