// A page title with optional back link and actions.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

export function PageHeader({ title, back, backLabel, extra, tags }: { title: ReactNode; back?: string; backLabel?: string; extra?: ReactNode; tags?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
      <Space align="center" wrap>
        {back && (
          <Link to={back}>
            <Button type="text" icon={<ArrowLeftOutlined />}>
              {backLabel}
            </Button>
          </Link>
        )}
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {tags}
      </Space>
      {extra && <Space wrap>{extra}</Space>}
    </Flex>
  );
}
