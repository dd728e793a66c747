import { useLogin } from '@refinedev/core';
import { Alert, Button, Card, Form, Input, Layout, Typography } from 'antd';
import { useSearchParams } from 'react-router';

type Credentials = { username: string; password: string };

export default function LoginPage() {
  const { mutate: login, isPending, error } = useLogin<Credentials>();
  const [params] = useSearchParams();
  const failure = error ?? null;
  return (
    <Layout style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <main>
        <Card style={{ width: 380 }}>
          <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
            Collections console
          </Typography.Title>
          {params.get('reason') === 'idle' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message="You were signed out after a period without activity." />}
          {failure && <Alert role="alert" type="error" showIcon style={{ marginBottom: 16 }} message={failure.message} />}
          <Form<Credentials> layout="vertical" requiredMark={false} onFinish={(values) => login(values)}>
            <Form.Item label="Username" name="username" rules={[{ required: true, message: 'Enter your username' }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password' }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={isPending}>
              Sign in
            </Button>
          </Form>
        </Card>
      </main>
    </Layout>
  );
}
