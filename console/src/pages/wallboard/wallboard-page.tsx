import { Card, Typography } from 'antd';

/** The supervisor's home; its live content comes with the supervisor pages. */
export default function WallboardPage() {
  return (
    <Card>
      <Typography.Title level={2}>Wallboard</Typography.Title>
      <Typography.Paragraph>Campaigns and agents, live: coming with the supervisor pages.</Typography.Paragraph>
    </Card>
  );
}
