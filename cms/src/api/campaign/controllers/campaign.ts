import { scopedController } from '../../../access/scoped-controller';

export default scopedController('api::campaign.campaign');
